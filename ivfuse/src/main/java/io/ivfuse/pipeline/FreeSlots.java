package io.ivfuse.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the pairing thread waits for the ring to free a slot, woken by the output stage as it
 * frees one. Disruptor's own {@code RingBuffer.next()} waits by re-polling every few microseconds
 * ({@code parkNanos(1)}), which takes CPU from the encoder exactly when the encoder holds the
 * ring full (benchmarks/README.md, "Thread plan"). Allocates nothing.
 */
final class FreeSlots {
    /** Longest sleep between looks: a halted ring (a failure) never signals. */
    private static final long MAX_PARK_NANOS = 10_000_000;
    private volatile Thread waiter;
    private Sequence outputSequence;

    /** The output stage's sequence, given to it by Disruptor; it moves it on as each frame leaves. */
    void outputSequence(Sequence sequence) {
        outputSequence = sequence;
    }

    /** The output stage has finished frame {@code sequence}: its slot is free now, not at the end of the batch. */
    void freed(long sequence) {
        Sequence s = outputSequence;
        if (s != null) {
            s.set(sequence);
        }
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Claims the next slot, waiting (parked) while the ring is full. */
    long next(RingBuffer<?> ring) {
        if (!ring.hasAvailableCapacity(1)) {
            waiter = Thread.currentThread();
            while (!ring.hasAvailableCapacity(1)) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
            waiter = null;
        }
        return ring.next(); // a slot is free: returns at once
    }
}
