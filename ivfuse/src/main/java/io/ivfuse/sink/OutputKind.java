package io.ivfuse.sink;

import java.util.List;
import java.util.Map;

/**
 * A kind of output (video file, segmented recording, HLS, PNG folder, preview window, or a network
 * stream per URI scheme), chosen by {@link OutputKinds} from an entry's scheme or extension.
 */
public interface OutputKind {

    /** As shown in logs and the run summary: file, segments, hls, png, display, udp, rtp, srt, rtsp, rtmp. */
    String name();

    /** Network streams run on their own thread behind a bounded queue and reconnect; the others write synchronously. */
    default boolean network() {
        return false;
    }

    /** The FFmpeg muxer for this location when the entry names none; null where there is none to use. */
    String muxer(String location);

    /** Muxer and protocol options this kind sets unless the entry sets them. */
    default Map<String, String> defaultOptions(String location, Map<String, String> entryOptions) {
        return Map.of();
    }

    /** FFmpeg protocols the output goes through: an entry's options may be theirs as well as the muxer's. */
    default List<String> protocols() {
        return List.of("file");
    }

    /** A network output that waits to be called (e.g. SRT {@code mode=listener}). */
    default boolean listener(String location, Map<String, String> options) {
        return false;
    }

    /** Checks what can be checked before the run (writable folder, a display), creating nothing. */
    default void check(OutputTarget target) {
    }

    /** Opens the output for frames of the context's geometry. */
    Output open(OutputTarget target, OutputContext ctx);
}
