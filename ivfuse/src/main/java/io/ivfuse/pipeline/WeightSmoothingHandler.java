package io.ivfuse.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ivfuse.fusion.video.TemporalWeightFilter;
import io.ivfuse.source.LumaRange;
import java.util.concurrent.CountDownLatch;

/**
 * Stage 2b ({@code --mode mef} with weight smoothing): one thread after the fusion threads, so it
 * sees the fused frames in order whatever the number of fusion threads, smooths their weight maps
 * ({@link TemporalWeightFilter}) and writes the fused Y, in video range, into the output picture
 * (the fusion threads leave that to it). Its filter is opened and closed on its own thread.
 */
final class WeightSmoothingHandler implements EventHandler<FrameEvent> {
    private final MefVideo video;
    private final FrameGeometry geometry;
    private final FailureLatch failure;
    /** Counted down once the filter is open. */
    private final CountDownLatch opened;
    private TemporalWeightFilter filter;
    private LumaRange range;

    WeightSmoothingHandler(MefVideo video, FrameGeometry geometry, FailureLatch failure, CountDownLatch opened) {
        this.video = video;
        this.geometry = geometry;
        this.failure = failure;
        this.opened = opened;
    }

    @Override
    public void onStart() {
        try {
            range = new LumaRange();
            filter = new TemporalWeightFilter(geometry.width(), geometry.height(), video.options().weightSmoothing(),
                    video.options().threshold());
        } finally {
            opened.countDown();
        }
    }

    @Override
    public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
        if (failure.failed()) {
            return;
        }
        if (event.kind == FrameKind.FUSED) {
            filter.apply(MefVideo.exposures(event), video.reference(event), event.fusedPicture);
        }
        range.toLimited(event.fusedY, event.outputY);
    }

    @Override
    public void onShutdown() {
        if (filter != null) {
            filter.close();
        }
        if (range != null) {
            range.close();
        }
    }
}
