package io.ivfuse.fusion;

import io.ivfuse.frame.Plane;

/**
 * Fuses frames of one fixed size on one thread. Everything it needs per frame is allocated when it
 * opens, so {@link #fuse} allocates nothing. {@link #close()} is idempotent; {@code fuse} after
 * close throws {@link IllegalStateException}.
 */
public interface FusionSession extends AutoCloseable {

    /**
     * Fuses the visible luminance with the registered infrared frame into {@code fused}. All three
     * planes have the session's size; {@code fused} may be neither input.
     */
    void fuse(Plane visibleY, Plane infrared, Plane fused);

    @Override
    void close();
}
