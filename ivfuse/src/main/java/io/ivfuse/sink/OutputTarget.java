package io.ivfuse.sink;

import io.ivfuse.config.IvfuseConfig.View;
import io.ivfuse.util.Redaction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output entry resolved against the {@code output} defaults: its kind, muxer, options and
 * encoder settings. No I/O has happened yet.
 *
 * @param id             short name for metrics, thread names, logs and the summary
 * @param uri            the entry as written (may hold credentials: show {@link #shown()})
 * @param location       what FFmpeg opens: a path (without {@code file:}) or the URL
 * @param muxer          FFmpeg muxer (null for PNG folders and the preview window)
 * @param options        muxer/protocol options: the kind's defaults, then the entry's own
 * @param segmentSeconds segmented recording: seconds per file (0 = one file)
 * @param queueSize      network outputs: preallocated frame buffers
 * @param listener       a network output that waits for a receiver to call it (SRT mode=listener)
 */
public record OutputTarget(String id, String uri, String location, OutputKind kind, String muxer, View view,
                           Map<String, String> options, EncoderSettings encoding, double segmentSeconds, int queueSize,
                           boolean listener) {

    public OutputTarget {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** This target with the thread plan's encoder threads (for an encoder its settings leave open). */
    OutputTarget withPlannedEncoderThreads(int encoderThreads) {
        return new OutputTarget(id, uri, location, kind, muxer, view, options, encoding.withPlannedThreads(encoderThreads),
                segmentSeconds, queueSize, listener);
    }

    /** The URI with credentials hidden. */
    public String shown() {
        return Redaction.redact(uri);
    }

    /** How messages name this output. */
    public String label() {
        return "output " + shown();
    }

    /** The encoder's destination: this output's location, muxer and options. */
    MuxTarget mux() {
        return new MuxTarget(location, muxer, options, kind.network(), label());
    }
}
