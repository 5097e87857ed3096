package io.ivfuse.fusion.classical;

import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.StatelessEngine;

/** A classical engine: frames of one size, infrared + visible. */
final class ClassicalEngine extends StatelessEngine {

    /** Opens a session for frames of one size. */
    @FunctionalInterface
    interface SessionFactory {
        FusionSession open(int width, int height);
    }

    private final SessionFactory sessions;

    ClassicalEngine(String name, SessionFactory sessions) {
        super(name);
        this.sessions = sessions;
    }

    @Override
    public FusionSession openSession(int width, int height) {
        checkOpen(width, height);
        return sessions.open(width, height);
    }
}
