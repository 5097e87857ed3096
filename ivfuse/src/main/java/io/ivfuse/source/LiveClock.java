package io.ivfuse.source;

/**
 * Puts a live input's frames on the receive clock ({@link System#nanoTime()} in microseconds), so
 * two cameras that started, or reconnected, at different moments still pair by when their frames
 * were taken. A frame's time is its own PTS plus an offset: the smallest (receive time - PTS) seen,
 * i.e. the frame that arrived with the least delay. Frames buffered while FFmpeg probes the stream
 * arrive late and so do not bias it. The offset may creep up by 1 ms per second of stream time, to
 * follow a camera clock slower than ours, and is reset when the PTS jumps or a connection begins
 * (timestamps are rebased after a reconnect). Times only move forward.
 */
final class LiveClock {
    private static final long CREEP_PER_US = 1_000; // offset may grow 1 us per 1,000 us of stream time
    private static final long JUMP_US = 2_000_000;
    private long offsetUs;
    private long lastPtsUs;
    private long lastUs = Long.MIN_VALUE;
    private boolean anchored;

    /** A new connection: its PTS start afresh. */
    void rebase() {
        anchored = false;
    }

    long map(long ptsUs, long receivedNanos) {
        long arrivalUs = receivedNanos / 1_000;
        long delay = arrivalUs - ptsUs;
        if (!anchored || ptsUs < lastPtsUs || ptsUs - lastPtsUs > JUMP_US) {
            offsetUs = delay;
            anchored = true;
        } else {
            offsetUs = Math.min(delay, offsetUs + (ptsUs - lastPtsUs) / CREEP_PER_US);
        }
        lastPtsUs = ptsUs;
        long t = ptsUs + offsetUs;
        if (lastUs != Long.MIN_VALUE && t <= lastUs) {
            t = lastUs + 1;
        }
        lastUs = t;
        return t;
    }
}
