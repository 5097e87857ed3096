package io.ivfuse.pipeline;

import io.ivfuse.config.IvfuseConfig.Backpressure;

/**
 * How the ring runs.
 *
 * @param ringSize      slots, a power of two
 * @param fusionThreads fusion handler threads
 * @param backpressure  what the producer does when the ring is full
 * @param maxFrames     stop after this many output frames (0 = no limit)
 */
public record PipelineSettings(int ringSize, int fusionThreads, Backpressure backpressure, long maxFrames) {
}
