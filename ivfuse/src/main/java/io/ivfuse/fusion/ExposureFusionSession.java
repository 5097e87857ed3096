package io.ivfuse.fusion;

import io.ivfuse.frame.YuvPlanes;

/**
 * Fuses exposures of one scene ({@link FusionMode#MEF}) of one fixed size, chroma layout and
 * exposure count on one thread. What it needs per frame is allocated when it opens.
 * {@link #close()} is idempotent; {@code fuse} after close throws {@link IllegalStateException}.
 */
public interface ExposureFusionSession extends AutoCloseable {

    /**
     * Fuses {@code exposures} (darkest first, as many as the session was opened for, each of the
     * session's size and chroma layout) into {@code fused}, which may be none of them.
     */
    void fuse(YuvPlanes[] exposures, YuvPlanes fused);

    @Override
    void close();
}
