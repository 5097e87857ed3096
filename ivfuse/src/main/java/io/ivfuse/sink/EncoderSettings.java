package io.ivfuse.sink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * @param codec       "auto" or an FFmpeg encoder name (libx264, libopenh264, h264_nvenc, mpeg4, ffv1...)
 * @param bitrateKbps target bitrate (0 = the encoder's default quality)
 * @param preset      encoder speed preset for libx264/NVENC (null = default)
 * @param fragmented  crash-safe files: fragmented MP4/MOV, Matroska clusters of at most a GOP, flushed as written
 * @param gopSeconds  keyframe interval in seconds: GOP = round(fps x gopSeconds), never B-frames
 * @param options     encoder options passed to FFmpeg as they are (checked against the encoder)
 * @param threads     threads of a software encoder as configured, libopenh264 cutting as many slices (0 = open)
 * @param plannedThreads the thread plan's count for encoders {@code threads} leaves open (0 = FFmpeg's choice)
 */
public record EncoderSettings(String codec, int bitrateKbps, String preset, boolean fragmented, double gopSeconds,
                              Map<String, String> options, int threads, int plannedThreads) {
    public static final double DEFAULT_GOP_SECONDS = 1.0;

    public EncoderSettings {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public EncoderSettings(String codec, int bitrateKbps, String preset, boolean fragmented) {
        this(codec, bitrateKbps, preset, fragmented, DEFAULT_GOP_SECONDS, Map.of(), 0, 0);
    }

    /** These settings with the thread plan's encoder threads. */
    public EncoderSettings withPlannedThreads(int planned) {
        return new EncoderSettings(codec, bitrateKbps, preset, fragmented, gopSeconds, options, threads, planned);
    }

    public static EncoderSettings defaults() {
        return new EncoderSettings("auto", 4000, null, false);
    }

    /** Frames from one keyframe to the next at {@code fps}. */
    public int gopFrames(double fps) {
        return Math.max(1, (int) Math.round(fps * gopSeconds));
    }
}
