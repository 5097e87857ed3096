package io.ivfuse.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.ivfuse.frame.Plane;
import io.ivfuse.metrics.PipelineMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stage 3: hands each fused frame, in order, to every sink (encoder, image files, preview). With
 * {@code fusion.skipped: hold} a skipped frame repeats the last fused picture.
 */
final class OutputHandler implements EventHandler<FrameEvent> {
    private final List<FrameSink> sinks;
    private final FrameGeometry geometry;
    private final PipelineMetrics metrics;
    private final FailureLatch failure;
    private final FrameListener listener;
    private final Plane lastFusedY;
    private final Plane lastOutputY;
    private final FreeSlots freeSlots;
    private boolean haveLast;

    OutputHandler(List<FrameSink> sinks, FrameGeometry geometry, PipelineMetrics metrics, FailureLatch failure,
                  FrameListener listener, boolean holdSkipped, FreeSlots freeSlots) {
        this.sinks = sinks;
        this.geometry = geometry;
        this.metrics = metrics;
        this.failure = failure;
        this.listener = listener;
        this.lastFusedY = holdSkipped ? Plane.allocate(geometry.width(), geometry.height()) : null;
        this.lastOutputY = holdSkipped ? Plane.allocate(geometry.width(), geometry.height()) : null;
        this.freeSlots = freeSlots;
    }

    @Override
    public void setSequenceCallback(Sequence sequence) {
        freeSlots.outputSequence(sequence);
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        try {
            write(event);
        } finally {
            freeSlots.freed(sequence);
        }
    }

    private void write(FrameEvent event) {
        if (failure.failed()) {
            return;
        }
        if (lastFusedY != null) {
            holdSkipped(event);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).write(event, geometry);
        }
        long t1 = System.nanoTime();
        metrics.encode.update(t1 - t0, TimeUnit.NANOSECONDS);
        metrics.latency.update(t1 - event.receivedNanos, TimeUnit.NANOSECONDS);
        metrics.framesOut.mark();
        if (listener != null) {
            listener.onOutput(event);
        }
    }

    private void holdSkipped(FrameEvent event) {
        if (event.kind == FrameKind.FUSED) {
            lastFusedY.copyFrom(event.fusedY);
            lastOutputY.copyFrom(event.outputY);
            haveLast = true;
        } else if (event.kind == FrameKind.SKIPPED && haveLast) {
            event.fusedY.copyFrom(lastFusedY);
            event.outputY.copyFrom(lastOutputY);
        }
    }
}
