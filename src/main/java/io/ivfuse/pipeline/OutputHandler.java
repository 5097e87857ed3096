package io.ivfuse.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ivfuse.metrics.PipelineMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stage 3: hands each fused frame, in order, to every sink (encoder, image files, preview). */
final class OutputHandler implements EventHandler<FrameEvent> {
    private final List<FrameSink> sinks;
    private final FrameGeometry geometry;
    private final PipelineMetrics metrics;
    private final FailureLatch failure;
    private final FrameListener listener;

    OutputHandler(List<FrameSink> sinks, FrameGeometry geometry, PipelineMetrics metrics, FailureLatch failure,
                  FrameListener listener) {
        this.sinks = sinks;
        this.geometry = geometry;
        this.metrics = metrics;
        this.failure = failure;
        this.listener = listener;
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        if (failure.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < sinks.size(); i++) {
            sinks.get(i).write(event, geometry);
        }
        long t1 = System.nanoTime();
        metrics.encode.update(t1 - t0, TimeUnit.NANOSECONDS);
        metrics.latency.update(t1 - event.enqueuedNanos, TimeUnit.NANOSECONDS);
        metrics.framesOut.mark();
        if (listener != null) {
            listener.onOutput(event);
        }
    }
}
