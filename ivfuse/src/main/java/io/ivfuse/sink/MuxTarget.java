package io.ivfuse.sink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an encoder's packets go: a file path or a URL (a String, never a {@code Path}: network
 * locations are not paths), the FFmpeg muxer, and muxer/protocol options.
 *
 * @param location what FFmpeg opens (may hold credentials: shown only through {@code label})
 * @param format   FFmpeg muxer name (mp4, matroska, mpegts, rtp_mpegts, rtsp, flv, hls...)
 * @param options  muxer and protocol options
 * @param live     a live stream: the encoder is tuned for low delay
 * @param label    how messages name it, with credentials redacted (e.g. "output udp://h:5000")
 */
public record MuxTarget(String location, String format, Map<String, String> options, boolean live, String label) {

    public MuxTarget {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
