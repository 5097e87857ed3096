package io.ivfuse.fusion;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Base of the engines whose rule needs no shared state (no model, no device): they only open
 * sessions, after {@link #checkOpen}, and remember whether they were closed.
 */
public abstract class StatelessEngine implements FusionEngine {
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected StatelessEngine(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Throws unless the engine is open and the frame size is positive. */
    protected final void checkOpen(int width, int height) {
        if (closed.get()) {
            throw new IllegalStateException("fusion engine '" + name + "' is closed");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
    }

    @Override
    public final void close() {
        closed.set(true);
    }
}
