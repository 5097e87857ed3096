package io.ivfuse.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * How the ring's stages wait for each other: parked until what they wait for is there, and woken
 * by the thread that moved it on, the pairing thread publishing a slot or a stage finishing one
 * ({@link #signalling}). Disruptor's own strategies cannot do this for a stage that waits on
 * another stage (only publishing signals): its blocking strategy then busy-spins, and a sleeping
 * one wakes every few hundred microseconds whether or not there is work, which on 2 cores is CPU
 * taken from the fusion threads and the encoder (benchmarks/mef.md, "Speed"), and a delay of up to
 * a sleep at every hand-over. A waiter that is not woken (a halt, a race lost) looks again after
 * {@link #MAX_PARK_NANOS}. Allocates nothing once each stage thread has waited once.
 */
final class WakingWaitStrategy implements WaitStrategy {
    /** The longest a stage sleeps without being woken. */
    static final long MAX_PARK_NANOS = 10_000_000L;

    /** One stage thread's wait: what it waits for, published by {@code waiting}. */
    private static final class Waiter {
        final Thread thread;
        Sequence dependent;
        long needed;
        SequenceBarrier barrier;
        volatile boolean waiting;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private final AtomicReferenceArray<Waiter> waiters;
    private final AtomicInteger registered = new AtomicInteger();
    private final ThreadLocal<Waiter> own = new ThreadLocal<>();

    /** @param threads the stage threads that may wait (one waiter each) */
    WakingWaitStrategy(int threads) {
        waiters = new AtomicReferenceArray<>(threads);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        Waiter w = waiter();
        w.dependent = dependentSequence;
        w.needed = sequence;
        w.barrier = barrier;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            w.waiting = true;
            VarHandle.fullFence(); // the look below after the flag, as the waker sets a sequence before it looks at the flag
            if (dependentSequence.get() < sequence && !barrier.isAlerted()) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
            w.waiting = false;
        }
        return available;
    }

    /** A slot published, or the ring halted. */
    @Override
    public void signalAllWhenBlocking() {
        wake();
    }

    /** Wakes every stage whose sequence has come (or whose barrier is alerted). */
    void wake() {
        VarHandle.fullFence(); // the sequence just set is seen before the flags are read
        for (int i = 0, n = Math.min(registered.get(), waiters.length()); i < n; i++) {
            Waiter w = waiters.get(i);
            if (w != null && w.waiting && (w.dependent.get() >= w.needed || w.barrier.isAlerted())) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    private Waiter waiter() {
        Waiter w = own.get();
        if (w == null) {
            w = new Waiter(Thread.currentThread());
            int i = registered.getAndIncrement();
            if (i >= waiters.length()) {
                throw new IllegalStateException("more ring threads wait than the " + waiters.length() + " planned");
            }
            waiters.set(i, w);
            own.set(w);
        }
        return w;
    }

    /**
     * {@code handler} as a ring stage that, after each slot, marks the slot done (rather than at the
     * end of its batch) and wakes the stages waiting for it.
     */
    <T> EventHandler<T> signalling(EventHandler<T> handler) {
        return new EventHandler<>() {
            private Sequence sequence;

            @Override
            public void onEvent(T event, long seq, boolean endOfBatch) throws Exception {
                handler.onEvent(event, seq, endOfBatch);
                sequence.setVolatile(seq);
                wake();
            }

            @Override
            public void setSequenceCallback(Sequence sequenceCallback) {
                sequence = sequenceCallback;
                handler.setSequenceCallback(sequenceCallback);
            }

            @Override
            public void onStart() {
                handler.onStart();
            }

            @Override
            public void onShutdown() {
                handler.onShutdown();
            }

            @Override
            public void onBatchStart(long batchSize, long queueDepth) {
                handler.onBatchStart(batchSize, queueDepth);
            }

            @Override
            public void onTimeout(long seq) throws Exception {
                handler.onTimeout(seq);
            }
        };
    }
}
