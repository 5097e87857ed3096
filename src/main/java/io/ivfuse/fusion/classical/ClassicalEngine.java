package io.ivfuse.fusion.classical;

import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fusion engine whose rule needs no shared state (no model, no device): it only opens sessions
 * and remembers whether it was closed.
 */
final class ClassicalEngine implements FusionEngine {

    /** Opens a session for frames of one size. */
    @FunctionalInterface
    interface SessionFactory {
        FusionSession open(int width, int height);
    }

    private final String name;
    private final SessionFactory sessions;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClassicalEngine(String name, SessionFactory sessions) {
        this.name = name;
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FusionSession openSession(int width, int height) {
        if (closed.get()) {
            throw new IllegalStateException("fusion engine '" + name + "' is closed");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        return sessions.open(width, height);
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
