package io.ivfuse.sink;

import com.codahale.metrics.MetricRegistry;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.pipeline.FrameSink;

/** One configured output as the ring sees it: a {@link FrameSink} with its target and metrics. */
public abstract class Output implements FrameSink {
    protected final OutputTarget target;
    protected final OutputMetrics metrics;

    Output(OutputTarget target, MetricRegistry registry) {
        this.target = target;
        this.metrics = new OutputMetrics(registry, target.id(), this::online);
    }

    public OutputTarget target() {
        return target;
    }

    /** The encoder in use ("png" and "display" for those kinds; the chosen one before it has started). */
    public abstract String encoder();

    /** True while frames reach the output (a network output: connected). */
    public abstract boolean online();

    /** After a failed run that wrote no frame: removes what opening this output created. */
    void discardEmpty() {
    }

    /** Writing this output failed ({@link OutputWriteException}): its frame count is what reached the disk. */
    public boolean failed() {
        return false;
    }

    /** Frames written (sent, for a stream); for a failed file, those a reader finds in it. */
    long frames() {
        return metrics.frames.getCount();
    }

    RunSummary.OutputStats stats() {
        RunSummary.OutputStats s = new RunSummary.OutputStats();
        s.uri = target.shown();
        s.kind = target.kind().name();
        s.encoder = encoder();
        s.frames = frames();
        s.dropped = metrics.dropped.getCount();
        s.reconnects = metrics.reconnects.getCount();
        return s;
    }

    @Override
    public String toString() {
        return target.shown();
    }
}
