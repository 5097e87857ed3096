package io.ivfuse.sync;

import io.ivfuse.config.IvfuseConfig.EndPolicy;
import io.ivfuse.source.FrameQueue;
import io.ivfuse.source.InputFrame;

/**
 * Pairs each visible frame with the IR frame nearest in time, not by index, so streams of
 * different frame rates, start offsets and gaps stay in sync.
 *
 * <p>The visible stream drives the output. For a visible frame at time t the pairer reads ahead in
 * the IR queue until the next IR frame would be farther from t than the current one (IR times
 * are shifted by the configured offset first). If that nearest IR frame lies within the tolerance
 * the pair is {@link PairDecision#PAIRED PAIRED}; otherwise the IR frame last shown is
 * {@link PairDecision#HELD HELD} while it is at most {@code maxStale} old; otherwise a live run
 * passes the visible frame through unfused ({@link PairDecision#VISIBLE_ONLY VISIBLE_ONLY}: the IR
 * camera is late or down) and a file run drops it ({@link PairDecision#DROPPED DROPPED}). With
 * {@link EndPolicy#SHORTEST} a file run ends when the IR stream is exhausted and its last frame
 * is older than the staleness limit; with {@link EndPolicy#LONGEST} the visible stream runs on over
 * the last IR frame.
 *
 * <p>Reading ahead waits for the IR queue until a deadline the caller gives: forever for files
 * (lossless), a frame's tolerance past the visible frame's arrival for live inputs, so a dead IR
 * camera never holds the visible one up. The pairer keeps at most three IR slots (current,
 * look-ahead, last shown) and gives every other one back to the queue, so pairing allocates nothing.
 */
public final class FramePairer {
    /** Wait without limit for the look-ahead IR frame (files). */
    public static final long FOREVER = Long.MAX_VALUE;
    private final FrameQueue ir;
    private final long toleranceUs;
    private final long maxStaleUs;
    private final long irOffsetUs;
    private final EndPolicy endPolicy;
    private final boolean live;

    private InputFrame current;
    private InputFrame next;
    private InputFrame shown;
    private boolean irEnded;
    private long lastSkewUs;
    private PairDecision lastDecision;
    private long paired;
    private long held;
    private long dropped;
    private long visibleOnly;
    private long waitedNanos;
    /** Smoothed (receive time - timestamp) of IR frames: how long after its time an IR frame shows up. */
    private long irLagNanos;
    /** Smoothed interval between IR frames (live pairing uses it to stop waiting early). */
    private long irIntervalUs;
    private long irFirstUs = Long.MIN_VALUE;
    private long irLastUs = Long.MIN_VALUE;

    /**
     * @param irOffsetUs added to every IR timestamp before comparing
     * @param live       unpaired visible frames pass through unfused instead of being dropped
     */
    public FramePairer(FrameQueue ir, long toleranceUs, long maxStaleUs, long irOffsetUs, EndPolicy endPolicy,
                       boolean live) {
        if (toleranceUs <= 0 || maxStaleUs < 0) {
            throw new IllegalArgumentException("tolerance must be > 0 and staleness >= 0");
        }
        this.ir = ir;
        this.toleranceUs = toleranceUs;
        this.maxStaleUs = maxStaleUs;
        this.irOffsetUs = irOffsetUs;
        this.endPolicy = endPolicy;
        this.live = live;
    }

    /** The default tolerance: half the frame interval of the faster stream. */
    public static long defaultToleranceUs(double fpsA, double fpsB) {
        double fastest = Math.max(fpsA > 0 ? fpsA : 30, fpsB > 0 ? fpsB : 30);
        return Math.round(1e6 / fastest / 2);
    }

    /** The default staleness: one and a half frame intervals of the slower stream. */
    public static long defaultMaxStaleUs(double fpsA, double fpsB) {
        double slowest = Math.min(fpsA > 0 ? fpsA : 30, fpsB > 0 ? fpsB : 30);
        return Math.round(1.5e6 / slowest);
    }

    /** Decides what to do with the visible frame at {@code visibleUs}, waiting for IR as long as it takes. */
    public PairDecision pair(long visibleUs) {
        return pair(visibleUs, FOREVER);
    }

    /**
     * Decides what to do with the visible frame at {@code visibleUs}; waits for the IR queue until
     * {@code waitUntilNanos} ({@link System#nanoTime()} clock) at most.
     */
    public PairDecision pair(long visibleUs, long waitUntilNanos) {
        lastDecision = decide(visibleUs, waitUntilNanos);
        return lastDecision;
    }

    private PairDecision decide(long visibleUs, long waitUntilNanos) {
        advanceTo(visibleUs, waitUntilNanos);
        if (current != null && Math.abs(time(current) - visibleUs) <= toleranceUs) {
            show(current);
            lastSkewUs = time(current) - visibleUs;
            paired++;
            return PairDecision.PAIRED;
        }
        // The last IR frame stays valid for the staleness limit after its own time, like a held one.
        boolean irExhausted = !live && irEnded && next == null
                && (current == null || visibleUs > time(current) + Math.max(toleranceUs, maxStaleUs));
        if (irExhausted && endPolicy == EndPolicy.SHORTEST) {
            return PairDecision.END;
        }
        if (shown != null && (irExhausted || visibleUs - time(shown) <= maxStaleUs) && visibleUs >= time(shown)) {
            lastSkewUs = time(shown) - visibleUs;
            held++;
            return PairDecision.HELD;
        }
        if (live) {
            visibleOnly++;
            return PairDecision.VISIBLE_ONLY;
        }
        dropped++;
        return PairDecision.DROPPED;
    }

    /**
     * The next IR frame on its own, for IR-only output while the visible camera is down; null when
     * none comes by {@code waitUntilNanos}. It stays valid until the next call into the pairer.
     */
    public InputFrame nextIrOnly(long waitUntilNanos) {
        InputFrame f = next != null ? next : poll(waitUntilNanos);
        next = null;
        if (f == null) {
            return null;
        }
        if (current != null && current != shown) {
            ir.release(current);
        }
        current = f;
        show(f);
        return f;
    }

    /** Moves forward in the IR stream while the look-ahead frame is at least as near to {@code t}. */
    private void advanceTo(long t, long waitUntilNanos) {
        while (true) {
            if (next == null) {
                next = poll(live ? System.nanoTime() : waitUntilNanos);
                if (next == null && live && !currentIsNearest(t)) {
                    next = poll(waitUntilNanos);
                }
                if (next == null) {
                    return;
                }
            }
            if (current != null && Math.abs(time(next) - t) > Math.abs(time(current) - t)) {
                return;
            }
            if (current != null && current != shown) {
                ir.release(current);
            }
            current = next;
            next = null;
        }
    }

    /**
     * Live: whether the next IR frame, expected one IR frame interval after the current one, could
     * not be nearer to {@code t}; then there is no point waiting for it (a frame's worth of latency).
     */
    private boolean currentIsNearest(long t) {
        return current != null && irIntervalUs > 0 && time(current) >= t - irIntervalUs / 2;
    }

    private void show(InputFrame f) {
        if (shown != null && shown != f && shown != current) {
            ir.release(shown);
        }
        shown = f;
    }

    private InputFrame poll(long waitUntilNanos) {
        if (irEnded) {
            return null;
        }
        long t0 = System.nanoTime();
        // A live IR input that is down won't deliver: don't hold the visible frame up for it.
        InputFrame f = ir.next(live && !ir.online() ? t0 : waitUntilNanos);
        waitedNanos += System.nanoTime() - t0;
        if (f == null) {
            irEnded = ir.isEnded();
            return null;
        }
        if (live) {
            long lag = f.receivedNanos() - f.timestampUs() * 1000;
            irLagNanos = irLagNanos == 0 ? lag : irLagNanos + (lag - irLagNanos) / 8;
        }
        long t = f.timestampUs() + irOffsetUs;
        if (irFirstUs == Long.MIN_VALUE) {
            irFirstUs = t;
        } else if (t > irLastUs && t - irLastUs < 1_000_000) {
            long d = t - irLastUs;
            irIntervalUs = irIntervalUs == 0 ? d : irIntervalUs + (d - irIntervalUs) / 8;
        }
        irLastUs = t;
        return f;
    }

    private long time(InputFrame p) {
        return p.timestampUs() + irOffsetUs;
    }

    /** The IR frame to fuse after {@link PairDecision#PAIRED} or {@link PairDecision#HELD}. */
    public InputFrame irFrame() {
        return shown;
    }

    public PairDecision lastDecision() {
        return lastDecision;
    }

    /** IR time minus visible time of the last pair (microseconds, offset applied). */
    public long lastSkewUs() {
        return lastSkewUs;
    }

    /** Forgets the decisions counted so far: those of a pre-roll, which paired frames that are not output. */
    public void resetCounts() {
        paired = 0;
        held = 0;
        dropped = 0;
        visibleOnly = 0;
    }

    public long pairedCount() {
        return paired;
    }

    public long heldCount() {
        return held;
    }

    public long droppedCount() {
        return dropped;
    }

    /**
     * Live: when to stop waiting for the IR frames of the visible frame at {@code visibleUs}: when
     * an IR frame a tolerance later would have arrived, given how late IR frames arrive, plus
     * {@code slackNanos} for jitter. Clock of {@link System#nanoTime()}; live timestamps share it.
     */
    public long irDeadlineNanos(long visibleUs, long slackNanos) {
        return (visibleUs + toleranceUs) * 1000 + Math.max(0, irLagNanos) + slackNanos;
    }

    /** Total time spent waiting for IR frames to arrive (not pairing work), in nanoseconds. */
    public long waitedNanos() {
        return waitedNanos;
    }

    public long visibleOnlyCount() {
        return visibleOnly;
    }

    /** True once the IR queue has ended and every frame in it was read. */
    public boolean irEnded() {
        return irEnded;
    }

    /** First and last IR times seen (offset applied), for error messages; MIN_VALUE when none. */
    public long irFirstUs() {
        return irFirstUs;
    }

    public long irLastUs() {
        return irLastUs;
    }
}
