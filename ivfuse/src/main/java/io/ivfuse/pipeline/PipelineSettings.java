package io.ivfuse.pipeline;

import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.config.IvfuseConfig.Skipped;
import io.ivfuse.config.IvfuseConfig.VisibleDown;

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
 */
public record PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames,
                               boolean live, double maxFps, Skipped skipped, VisibleDown visibleDown) {

    /** A file run: no frame limit on fusion, no live behaviour. */
    public PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames) {
        this(ringSize, fusionThreads, backpressure, maxFrames, false, 0, Skipped.PASS, VisibleDown.PAUSE);
    }
}
