package io.ivfuse.job;

import io.ivfuse.IvfuseException;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameWarp;

/** Builds the registration stage for a run. */
final class Registrations {
    private Registrations() {
    }

    static FrameWarp create(String calibration, FrameGeometry g) {
        if (calibration != null) {
            throw new IvfuseException("calibration support is being merged");
        }
        if (g.irWidth() != g.width() || g.irHeight() != g.height()) {
            throw new IvfuseException("resize registration is being merged");
        }
        return (ir, out) -> out.copyFrom(ir);
    }
}
