package io.ivfuse.pipeline;

import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.config.IvfuseConfig.Skipped;
import io.ivfuse.config.IvfuseConfig.VisibleDown;
import io.ivfuse.fusion.video.MefVideoOptions;

/**
 * How the ring runs.
 *
 * @param ringSize      slots, a power of two
 * @param fusionThreads fusion handler threads
 * @param backpressure  what the producer does when the ring is full
 * @param maxFrames     stop after this many output frames (0 = no limit)
 * @param live          the inputs are live cameras: never wait for a missing one
 * @param maxFps        fuse at most this many frames a second (0 = all)
 * @param skipped       what a frame skipped for {@code maxFps} shows
 * @param visibleDown   live: what to output while the visible camera is down
 * @param fromUs        output the visible frames at or after this time; the earlier ones read
 *                      (a pre-roll) are only paired, so that pairing at {@code fromUs} is a whole run's
 * @param toUs          output the visible frames before this time; the input ends there
 * @param mefVideo      exposure video ({@code --mode mef}): ghost suppression and weight smoothing
 */
public record PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames,
                               boolean live, double maxFps, Skipped skipped, VisibleDown visibleDown, long fromUs,
                               long toUs, MefVideoOptions mefVideo) {

    /** Without ghost suppression or weight smoothing. */
    public PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames,
                            boolean live, double maxFps, Skipped skipped, VisibleDown visibleDown, long fromUs,
                            long toUs) {
        this(ringSize, fusionThreads, backpressure, maxFrames, live, maxFps, skipped, visibleDown, fromUs, toUs,
                MefVideoOptions.off());
    }

    /** Every frame of the inputs. */
    public PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames,
                            boolean live, double maxFps, Skipped skipped, VisibleDown visibleDown) {
        this(ringSize, fusionThreads, backpressure, maxFrames, live, maxFps, skipped, visibleDown, Long.MIN_VALUE,
                Long.MAX_VALUE);
    }

    /** A file run: no frame limit on fusion, no live behaviour. */
    public PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames) {
        this(ringSize, fusionThreads, backpressure, maxFrames, false, 0, Skipped.PASS, VisibleDown.PAUSE);
    }
}
