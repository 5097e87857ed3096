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

    /**
     * A session fusing {@code exposures} exposures of {@code width} x {@code height}, chroma
     * subsampled 2x2 (4:2:0) or not ({@link FusionMode#MEF}). Not thread-safe: one per fusion
     * thread. Engines of {@link FusionMode#IR_VIS} only throw {@link UnsupportedOperationException}
     * ({@link FusionEngines} refuses the mismatch before, with the engines that fit).
     */
    default ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
        throw new UnsupportedOperationException("engine '" + name() + "' does not support mode " + FusionMode.MEF);
    }

    @Override
    void close();
}
