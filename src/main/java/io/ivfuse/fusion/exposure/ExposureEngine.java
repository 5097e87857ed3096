package io.ivfuse.fusion.exposure;

import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.FusionSession;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An engine of {@link FusionMode#MEF} whose rule needs no shared state: it opens exposure
 * sessions and remembers whether it was closed. It has no infrared + visible sessions.
 */
final class ExposureEngine implements FusionEngine {

    /** Opens a session for one frame size, exposure count and chroma layout. */
    @FunctionalInterface
    interface SessionFactory {
        ExposureFusionSession open(int width, int height, int exposures, boolean subsampledChroma);
    }

    private final String name;
    private final SessionFactory sessions;
    private final AtomicBoolean closed = new AtomicBoolean();

    ExposureEngine(String name, SessionFactory sessions) {
        this.name = name;
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FusionSession openSession(int width, int height) {
        throw new UnsupportedOperationException("engine '" + name + "' does not support mode " + FusionMode.IR_VIS);
    }

    @Override
    public ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
        if (closed.get()) {
            throw new IllegalStateException("fusion engine '" + name + "' is closed");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        if (exposures < 2) {
            throw new IllegalArgumentException("exposure fusion needs at least 2 exposures, got " + exposures);
        }
        return sessions.open(width, height, exposures, subsampledChroma);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
