package io.ivfuse.util;

/**
 * Exponential reconnection delays: initial, doubling up to a maximum; reset after a success. Used
 * by live inputs and network outputs alike. One owner thread; not thread-safe.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    public Backoff(long initialMs, long maxMs) {
        this.initialMs = Math.max(1, initialMs);
        this.maxMs = Math.max(this.initialMs, maxMs);
        this.nextMs = this.initialMs;
    }

    /** The delay to wait now; the one after it is twice as long (capped). */
    public long next() {
        long d = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return d;
    }

    public void reset() {
        nextMs = initialMs;
    }

    /** The longest delay, in milliseconds. */
    public long maxMs() {
        return maxMs;
    }
}
