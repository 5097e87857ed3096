package io.ivfuse.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polling with a deadline: the way tests wait for something to happen (never a bare sleep). */
public final class Deadline {
    private final long endNanos;
    private final long limitNanos;

    private Deadline(long limitNanos) {
        this.limitNanos = limitNanos;
        this.endNanos = System.nanoTime() + limitNanos;
    }

    public static Deadline within(long amount, TimeUnit unit) {
        return new Deadline(unit.toNanos(amount));
    }

    /** Polls {@code condition} every 20 ms; fails with {@code what} if it is not true by the deadline. */
    public void until(String what, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > endNanos) {
                throw new AssertionError("timed out after " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms waiting until " + what);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
