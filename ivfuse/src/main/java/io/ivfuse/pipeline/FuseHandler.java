package io.ivfuse.pipeline;

import com.codahale.metrics.Timer;
import com.lmax.disruptor.EventHandler;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.video.GhostSuppressor;
import io.ivfuse.source.LumaRange;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stage 2: one of {@code workers} fusion threads. Worker i takes the slots whose sequence is i
 * modulo {@code workers}, so several threads share a slow engine while the output stage, which
 * waits for all of them, still sees frames in order. Also writes the fused Y, in video range,
 * into the slot's output picture. Its fusion session is opened and closed on its own thread (GPU
 * contexts and thread-bound runtimes need that). With a colour second input ({@code --mode mef})
 * it opens an exposure session instead, which writes the output's chroma as well; a frame it does
 * not fuse shows the first input's chroma. Exposure video may have ghosts suppressed first
 * ({@link GhostSuppressor}: stateless, so each thread has its own).
 */
final class FuseHandler implements EventHandler<FrameEvent> {
    private final FusionEngine engine;
    private final FrameGeometry geometry;
    private final int worker;
    private final int workers;
    private final Timer timer;
    private final FailureLatch failure;
    /** Exposure video: ghost suppression here, per thread; null for infrared + visible. */
    private final MefVideo video;
    /** False when {@link WeightSmoothingHandler} follows and writes the output's Y instead. */
    private final boolean writesOutputY;
    /** Counted down once this thread's session is open (or failed to open). */
    private final CountDownLatch opened;
    private GhostSuppressor ghosts;
    private FusionSession session;
    private ExposureFusionSession exposureSession;
    private LumaRange range;

    FuseHandler(FusionEngine engine, FrameGeometry geometry, int worker, int workers, Timer timer, FailureLatch failure,
                MefVideo video, boolean writesOutputY, CountDownLatch opened) {
        this.engine = engine;
        this.geometry = geometry;
        this.worker = worker;
        this.workers = workers;
        this.timer = timer;
        this.failure = failure;
        this.video = video;
        this.writesOutputY = writesOutputY;
        this.opened = opened;
    }

    @Override
    public void onStart() {
        try {
            range = new LumaRange();
            if (geometry.secondChroma()) {
                exposureSession = engine.openExposureSession(geometry.width(), geometry.height(), 2, true);
                if (video != null && video.options().deghost()) {
                    ghosts = new GhostSuppressor(geometry.width(), geometry.height(), true, video.options().threshold());
                }
            } else {
                session = engine.openSession(geometry.width(), geometry.height());
            }
        } finally {
            opened.countDown();
        }
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        if (sequence % workers != worker || failure.failed() || (session == null && exposureSession == null)) {
            return;
        }
        long t0 = System.nanoTime();
        if (exposureSession != null && event.kind != FrameKind.FUSED) {
            event.output.put(geometry.chromaOffset(), event.visibleChroma, 0, geometry.chromaBytes());
        }
        switch (event.kind) {
            case FUSED -> {
                if (exposureSession != null) {
                    YuvPlanes[] exposures = MefVideo.exposures(event);
                    if (ghosts != null) {
                        exposures = ghosts.suppress(exposures, video.reference(event));
                    }
                    exposureSession.fuse(exposures, event.fusedPicture);
                } else {
                    session.fuse(event.visibleY, event.registered, event.fusedY);
                }
            }
            case IR_ONLY -> event.fusedY.copyFrom(event.registered);
            case VISIBLE_ONLY, SKIPPED -> event.fusedY.copyFrom(event.visibleY);
        }
        if (writesOutputY) {
            range.toLimited(event.fusedY, event.outputY);
        }
        if (event.kind == FrameKind.FUSED) {
            timer.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onShutdown() {
        if (session != null) {
            session.close();
        }
        if (exposureSession != null) {
            exposureSession.close();
        }
        if (ghosts != null) {
            ghosts.close();
        }
        if (range != null) {
            range.close();
        }
    }
}
