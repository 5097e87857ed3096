package io.ivfuse.pipeline;

import com.codahale.metrics.Timer;
import com.lmax.disruptor.EventHandler;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.video.MefVideoOptions;
import java.util.concurrent.CountDownLatch;

/**
 * The ring's fusion and weight-smoothing handlers outside a ring, so that {@code ivfuse bench}
 * times each stage with the run's own code (ghost suppression, the output's video range, the
 * smoothing filter) rather than a copy of it. The caller starts, feeds and shuts down a handler on
 * one thread, as the ring's thread would; a handler's exception reaches the caller.
 */
public final class StageHandlers {
    private StageHandlers() {
    }

    /**
     * Fusion thread {@code worker} of {@code workers}: it fuses the sequences equal to
     * {@code worker} modulo {@code workers}, as in the run (two cameras, so {@code video}'s
     * reference exposure is the one shown where things move).
     */
    public static EventHandler<FrameEvent> fusion(FusionEngine engine, FrameGeometry g, int worker, int workers,
                                                  MefVideoOptions video) {
        MefVideo exposureVideo = g.secondChroma() ? new MefVideo(video, false) : null;
        return new FuseHandler(engine, g, worker, workers, new Timer(), new FailureLatch(), exposureVideo, !smooths(g, video),
                new CountDownLatch(1));
    }

    /** The smoothing stage that follows fusion in the run, frames in order; null where the run has none. */
    public static EventHandler<FrameEvent> smoothing(FrameGeometry g, MefVideoOptions video) {
        return smooths(g, video)
                ? new WeightSmoothingHandler(new MefVideo(video, false), g, new FailureLatch(), new CountDownLatch(1)) : null;
    }

    /** Whether a run of this geometry has the weight-smoothing stage: exposure video with smoothing on. */
    static boolean smooths(FrameGeometry g, MefVideoOptions video) {
        return g.secondChroma() && video.weightSmoothing() > 0;
    }
}
