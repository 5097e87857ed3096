package io.ivfuse.source;

/** Exponential reconnection delays: initial, doubling up to a maximum; reset after a success. */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long initialMs, long maxMs) {
        this.initialMs = Math.max(1, initialMs);
        this.maxMs = Math.max(this.initialMs, maxMs);
        this.nextMs = this.initialMs;
    }

    /** The delay to wait now; the one after it is twice as long (capped). */
    long next() {
        long d = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return d;
    }

    void reset() {
        nextMs = initialMs;
    }
}
