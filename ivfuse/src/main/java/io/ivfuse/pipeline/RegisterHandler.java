package io.ivfuse.pipeline;

import com.codahale.metrics.Timer;
import com.lmax.disruptor.EventHandler;
import java.util.concurrent.TimeUnit;

/**
 * Stage 1: warps each slot's IR frame onto the visible geometry; with a colour second input
 * ({@code --mode mef}) its chroma planes too, by {@code chromaWarp} (the same mapping at the chroma
 * planes' size).
 */
final class RegisterHandler implements EventHandler<FrameEvent> {
    private final FrameWarp warp;
    private final FrameWarp chromaWarp;
    private final Timer timer;
    private final FailureLatch failure;

    RegisterHandler(FrameWarp warp, FrameWarp chromaWarp, Timer timer, FailureLatch failure) {
        this.warp = warp;
        this.chromaWarp = chromaWarp;
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
        if (event.infraredCb != null) {
            chromaWarp.warp(event.infraredCb, event.registeredCb);
            chromaWarp.warp(event.infraredCr, event.registeredCr);
        }
        timer.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
}
