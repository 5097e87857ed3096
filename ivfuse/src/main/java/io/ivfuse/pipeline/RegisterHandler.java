package io.ivfuse.pipeline;

import com.codahale.metrics.Timer;
import com.lmax.disruptor.EventHandler;
import java.util.concurrent.TimeUnit;

/** Stage 1: warps each slot's IR frame onto the visible geometry. */
final class RegisterHandler implements EventHandler<FrameEvent> {
    private final FrameWarp warp;
    private final Timer timer;
    private final FailureLatch failure;

    RegisterHandler(FrameWarp warp, Timer timer, FailureLatch failure) {
        this.warp = warp;
        this.timer = timer;
        this.failure = failure;
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        if (failure.failed() || event.kind == FrameKind.VISIBLE_ONLY) {
            return; // a visible-only slot carries no IR frame
        }
        long t0 = System.nanoTime();
        warp.warp(event.infrared, event.registered);
        timer.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
}
