package io.ivfuse.fusion.classical;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;

/**
 * The checks every classical session makes before fusing (open, right size, output distinct from
 * the inputs) and idempotent closing; subclasses supply the rule and release their buffers.
 * {@link #views} gives OpenCV headers over the planes, made on first use of each plane and kept
 * until the session closes (the pipeline's planes are fixed, so this allocates once).
 */
abstract class ClassicalSession implements FusionSession {
    protected final int width;
    protected final int height;
    protected final MatViews views = new MatViews();
    private boolean closed;

    ClassicalSession(int width, int height) {
        this.width = width;
        this.height = height;
    }

    @Override
    public final void fuse(Plane visibleY, Plane infrared, Plane fused) {
        if (closed) {
            throw new IllegalStateException("fusion session is closed");
        }
        checkSize("visible", visibleY);
        checkSize("infrared", infrared);
        checkSize("fused", fused);
        if (fused == visibleY || fused == infrared) {
            throw new IllegalArgumentException("the fused plane must not be one of the inputs");
        }
        fuseChecked(visibleY, infrared, fused);
    }

    private void checkSize(String what, Plane plane) {
        if (plane.width() != width || plane.height() != height) {
            throw new IllegalArgumentException(what + " plane is " + plane.width() + "x" + plane.height()
                    + " but the session fuses " + width + "x" + height);
        }
    }

    /** Applies the rule; the planes are known to have the session's size. */
    protected abstract void fuseChecked(Plane visibleY, Plane infrared, Plane fused);

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            views.close();
            release();
        }
    }

    /** Frees what the session owns; called once. */
    protected void release() {
    }
}
