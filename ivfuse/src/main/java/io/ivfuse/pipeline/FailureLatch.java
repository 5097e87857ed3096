package io.ivfuse.pipeline;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Records the first failure of any stage. Handlers stop doing work once it is set (the ring keeps
 * moving so the producer never blocks on a dead stage) and the run ends with that error.
 */
final class FailureLatch {
    private final AtomicReference<Throwable> first = new AtomicReference<>();

    void fail(Throwable t) {
        first.compareAndSet(null, t);
    }

    boolean failed() {
        return first.get() != null;
    }

    Throwable failure() {
        return first.get();
    }
}
