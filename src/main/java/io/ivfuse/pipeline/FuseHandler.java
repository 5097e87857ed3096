package io.ivfuse.pipeline;

import com.codahale.metrics.Timer;
import com.lmax.disruptor.EventHandler;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.source.LumaRange;
import java.util.concurrent.TimeUnit;

/**
 * Stage 2: one of {@code workers} fusion threads. Worker i takes the slots whose sequence is i
 * modulo {@code workers}, so several threads share a slow engine while the output stage, which
 * waits for all of them, still sees frames in order. Also writes the fused Y, in video range,
 * into the slot's output picture.
 */
final class FuseHandler implements EventHandler<FrameEvent> {
    private final FusionSession session;
    private final int worker;
    private final int workers;
    private final Timer timer;
    private final FailureLatch failure;
    private final LumaRange range = new LumaRange();

    FuseHandler(FusionSession session, int worker, int workers, Timer timer, FailureLatch failure) {
        this.session = session;
        this.worker = worker;
        this.workers = workers;
        this.timer = timer;
        this.failure = failure;
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        if (sequence % workers != worker || failure.failed()) {
            return;
        }
        long t0 = System.nanoTime();
        session.fuse(event.visibleY, event.registered, event.fusedY);
        range.toLimited(event.fusedY, event.outputY);
        timer.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onShutdown() {
        range.close();
    }
}
