package io.ivfuse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input as configured: either a plain string (a file, folder, printf pattern, device or URL),
 * or an object {@code {uri, format, transport, live, options: {<FFmpeg demuxer/protocol option>},
 * decoder_options: {<FFmpeg decoder option>}}}. Which
 * {@link io.ivfuse.source.InputKind} reads it is decided by the URI's scheme.
 */
public final class InputSpec {
    /** File path, folder of frames, printf pattern, device path or URL. */
    public String uri;
    /** FFmpeg demuxer to force (e.g. {@code v4l2}, {@code mpegts}, {@code image2}); null = by scheme/probe. */
    public String format;
    /** RTSP transport: {@code tcp} (default) or {@code udp}. */
    public String transport;
    /** Treat as a live camera (never blocks, reconnects); null = decided by the scheme. */
    public Boolean live;
    /** FFmpeg demuxer and protocol options, applied over ivfuse's defaults for the scheme. */
    public Map<String, String> options = new LinkedHashMap<>();
    /** FFmpeg decoder options (e.g. {@code threads}), over ivfuse's defaults (live: {@code flags: low_delay}). */
    public Map<String, String> decoderOptions = new LinkedHashMap<>();

    public InputSpec() {
    }

    /** The plain-string form: {@code input.ir: rtsp://camera/thermal}. */
    @JsonCreator
    public static InputSpec of(String uri) {
        InputSpec s = new InputSpec();
        s.uri = uri;
        return s;
    }

    @Override
    public String toString() {
        return io.ivfuse.util.Redaction.redact(uri);
    }
}
