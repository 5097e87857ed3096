package io.ivfuse.source;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The bounded hand-over between an input's reader thread and the pairing thread, over slots
 * allocated once. The reader {@link #acquire acquires} a free slot, fills it and
 * {@link #publish publishes} it; the consumer takes slots with {@link #next(long)} and
 * {@link #release releases} them when done.
 *
 * <p>Files block the reader while every slot is taken (lossless). Live inputs never block: with no
 * slot free the oldest waiting frame is taken back and counted as dropped, so a slow consumer
 * sees the freshest frames and the camera's socket is always drained.
 *
 * <p>Monitor wait/notify rather than j.u.c. conditions: waiting allocates nothing.
 */
public final class FrameQueue {
    private final ArrayDeque<InputFrame> free;
    private final ArrayDeque<InputFrame> ready;
    private final int capacity;
    private long dropped;
    private boolean ended;
    private RuntimeException failure;
    private volatile boolean online;

    /**
     * @param capacity frames that may wait
     * @param heldByConsumer slots the consumer may keep at once (the pairer keeps up to three)
     */
    public FrameQueue(int capacity, int heldByConsumer, Supplier<InputFrame> slots) {
        int total = capacity + heldByConsumer + 1;
        this.capacity = capacity;
        this.free = new ArrayDeque<>(total);
        this.ready = new ArrayDeque<>(total);
        for (int i = 0; i < total; i++) {
            free.push(slots.get());
        }
    }

    /**
     * A slot to fill, or null once the queue is ended. With {@code dropOldest} never waits: when no
     * slot is free, the oldest waiting frame is dropped and its slot returned.
     */
    public synchronized InputFrame acquire(boolean dropOldest) {
        while (!ended) {
            if (!free.isEmpty() && (!dropOldest || ready.size() < capacity)) {
                return free.pop();
            }
            if (dropOldest && !ready.isEmpty()) {
                dropped++;
                return ready.pollFirst();
            }
            waitUpTo(100_000_000L);
        }
        return null;
    }

    /** Hands a filled slot to the consumer. */
    public synchronized void publish(InputFrame frame) {
        ready.addLast(frame);
        notifyAll();
    }

    /** Gives back a slot acquired but not published. */
    public synchronized void discard(InputFrame frame) {
        free.push(frame);
        notifyAll();
    }

    /**
     * The oldest waiting frame, waiting until {@code deadlineNanos} ({@link System#nanoTime()}
     * clock; {@code Long.MAX_VALUE}: no limit) at most; null when none came in time or the stream
     * has ended ({@link #isEnded()}).
     */
    public synchronized InputFrame next(long deadlineNanos) {
        while (ready.isEmpty() && !ended) {
            long left = deadlineNanos == Long.MAX_VALUE ? 100_000_000L : deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            waitUpTo(left);
        }
        return ready.pollFirst();
    }

    /** Returns a consumed slot. */
    public synchronized void release(InputFrame frame) {
        free.push(frame);
        notifyAll();
    }

    /** Marks the end of the stream: {@code cause} null for a real end, else why the input was lost. */
    public synchronized void end(RuntimeException cause) {
        if (!ended) {
            ended = true;
            failure = cause;
            online = false;
            notifyAll();
        }
    }

    /** True once the stream has ended and every waiting frame has been taken. */
    public synchronized boolean isEnded() {
        return ended && ready.isEmpty();
    }

    /** Why the input was lost, or null (still running, or a real end of input). */
    public synchronized RuntimeException failure() {
        return failure;
    }

    public synchronized long dropped() {
        return dropped;
    }

    /** True while the input is connected and delivering frames. */
    public boolean online() {
        return online;
    }

    void setOnline(boolean online) {
        this.online = online;
    }

    private void waitUpTo(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = true;
        }
    }
}
