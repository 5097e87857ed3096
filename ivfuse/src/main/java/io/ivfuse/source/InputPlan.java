package io.ivfuse.source;

import java.util.Map;

/**
 * How FFmpeg opens one input, as an {@link InputKind} resolved it.
 *
 * @param role     "IR" or "visible", for messages
 * @param location what FFmpeg opens (path, pattern, device or URL; may hold credentials)
 * @param format   demuxer to force, or null to probe
 * @param options  FFmpeg demuxer and protocol options (ivfuse's defaults for the kind, then the user's)
 * @param live     a camera: read without backpressure, reconnected when it fails or stalls
 * @param kind     the input kind's name (file, rtsp, stream, v4l2, images)
 * @param decoderOptions FFmpeg decoder options (live inputs: {@code flags=low_delay}, then the user's)
 * @param seekUs   recorded files: the first frame time to read (microseconds on the stream's clock),
 *                 or {@link #NO_SEEK}
 */
public record InputPlan(String role, String location, String format, Map<String, String> options, boolean live,
                        String kind, Map<String, String> decoderOptions, long seekUs) {
    public static final long NO_SEEK = Long.MIN_VALUE;

    public InputPlan {
        options = Map.copyOf(options);
        decoderOptions = Map.copyOf(decoderOptions);
    }

    public InputPlan(String role, String location, String format, Map<String, String> options, boolean live, String kind) {
        this(role, location, format, options, live, kind, Map.of(), NO_SEEK);
    }

    InputPlan withDecoderOptions(Map<String, String> decoder) {
        return new InputPlan(role, location, format, options, live, kind, decoder, seekUs);
    }

    /** This plan reading from {@code us} on (a recorded file). */
    public InputPlan seekingTo(long us) {
        return new InputPlan(role, location, format, options, live, kind, decoderOptions, us);
    }

    /**
     * A recording played as if it were a camera ({@code live: true} on a file or image sequence):
     * read at its own frame rate rather than as fast as possible.
     */
    public boolean paced() {
        return live && (kind.equals("file") || kind.equals("images"));
    }

    /** "IR input 'rtsp://***@host/x'": the location with its credentials hidden. */
    public String label() {
        return role + " input '" + io.ivfuse.util.Redaction.redact(location) + "'";
    }
}
