package io.ivfuse.fusion.exposure;

import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.StatelessEngine;

/**
 * An engine of {@link FusionMode#MEF} whose rule needs no shared state: it opens exposure
 * sessions and remembers whether it was closed. It has no infrared + visible sessions.
 */
final class ExposureEngine extends StatelessEngine {

    /** Opens a session for one frame size, exposure count and chroma layout. */
    @FunctionalInterface
    interface SessionFactory {
        ExposureFusionSession open(int width, int height, int exposures, boolean subsampledChroma);
    }

    private final SessionFactory sessions;

    ExposureEngine(String name, SessionFactory sessions) {
        super(name);
        this.sessions = sessions;
    }

    @Override
    public FusionSession openSession(int width, int height) {
        throw new UnsupportedOperationException("engine '" + name() + "' does not support mode " + FusionMode.IR_VIS);
    }

    @Override
    public ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
        checkOpen(width, height);
        if (exposures < 2) {
            throw new IllegalArgumentException("exposure fusion needs at least 2 exposures, got " + exposures);
        }
        return sessions.open(width, height, exposures, subsampledChroma);
    }
}
