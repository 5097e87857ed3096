package io.ivfuse.fusion;

/**
 * A fusion engine: owns what is shared between threads (a model's weights, a device). Thread-safe.
 * Per-thread work happens in {@link FusionSession}s, one per fusion thread, each owning its
 * preallocated buffers. {@link #close()} is idempotent; closing the engine does not close sessions
 * (close those first).
 */
public interface FusionEngine extends AutoCloseable {

    String name();

    /**
     * A session for frames of exactly {@code width} x {@code height}. Not thread-safe: one per
     * fusion thread. Throws {@link IllegalStateException} once the engine is closed.
     */
    FusionSession openSession(int width, int height);

    @Override
    void close();
}
