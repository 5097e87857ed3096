package io.ivfuse.pipeline;

import io.ivfuse.frame.Plane;

/** Registration as the ring sees it: warps an IR frame onto the visible geometry. */
@FunctionalInterface
public interface FrameWarp {

    /** Writes {@code infrared} (IR size) warped into {@code registered} (visible size). */
    void warp(Plane infrared, Plane registered);
}
