package io.ivfuse.sync;

import io.ivfuse.config.IvfuseConfig.EndPolicy;
import io.ivfuse.source.FrameReader;
import io.ivfuse.source.TimedPlane;
import java.util.function.Supplier;

/**
 * Pairs each visible frame with the IR frame nearest in time, not by index, so streams of
 * different frame rates, start offsets and gaps stay in sync.
 *
 * <p>The visible stream drives the output. For a visible frame at time t the pairer reads ahead in
 * the IR stream until the next IR frame would be farther from t than the current one (IR times
 * are shifted by the configured offset first). If that nearest IR frame lies within the tolerance
 * the pair is {@link PairDecision#PAIRED PAIRED}; otherwise the IR frame last shown is
 * {@link PairDecision#HELD HELD} while it is at most {@code maxStale} old; otherwise the visible
 * frame is {@link PairDecision#DROPPED DROPPED}. With {@link EndPolicy#SHORTEST} the run ends
 * when the IR stream is exhausted and its last frame is older than the staleness limit; with {@link EndPolicy#LONGEST}
 * the visible stream runs on over the last IR frame.
 *
 * <p>Three IR holders rotate (current, look-ahead, last shown), so pairing allocates nothing.
 */
public final class FramePairer {
    private final FrameReader ir;
    private final long toleranceUs;
    private final long maxStaleUs;
    private final long irOffsetUs;
    private final EndPolicy endPolicy;
    private final TimedPlane[] pool = new TimedPlane[3];

    private TimedPlane current;
    private TimedPlane next;
    private TimedPlane shown;
    private boolean irEnded;
    private boolean started;
    private long lastSkewUs;
    private PairDecision lastDecision;
    private long paired;
    private long held;
    private long dropped;
    private long irFirstUs = Long.MIN_VALUE;
    private long irLastUs = Long.MIN_VALUE;

    /**
     * @param holders makes the IR holders (each sized for the IR frames)
     * @param irOffsetUs added to every IR timestamp before comparing
     */
    public FramePairer(FrameReader ir, Supplier<TimedPlane> holders, long toleranceUs, long maxStaleUs,
                       long irOffsetUs, EndPolicy endPolicy) {
        if (toleranceUs <= 0 || maxStaleUs < 0) {
            throw new IllegalArgumentException("tolerance must be > 0 and staleness >= 0");
        }
        this.ir = ir;
        this.toleranceUs = toleranceUs;
        this.maxStaleUs = maxStaleUs;
        this.irOffsetUs = irOffsetUs;
        this.endPolicy = endPolicy;
        for (int i = 0; i < pool.length; i++) {
            pool[i] = holders.get();
        }
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

    /** Decides what to do with the visible frame at {@code visibleUs}. */
    public PairDecision pair(long visibleUs) {
        lastDecision = decide(visibleUs);
        return lastDecision;
    }

    private PairDecision decide(long visibleUs) {
        if (!started) {
            started = true;
            current = readInto(pool[0]);
            next = current == null ? null : readInto(pool[1]);
            if (current == null) {
                irEnded = true;
            }
        }
        advanceTo(visibleUs);
        if (current != null && Math.abs(time(current) - visibleUs) <= toleranceUs) {
            shown = current;
            lastSkewUs = time(current) - visibleUs;
            paired++;
            return PairDecision.PAIRED;
        }
        // The last IR frame stays valid for the staleness limit after its own time, like a held one.
        boolean irExhausted = irEnded && next == null
                && (current == null || visibleUs > time(current) + Math.max(toleranceUs, maxStaleUs));
        if (irExhausted && endPolicy == EndPolicy.SHORTEST) {
            return PairDecision.END;
        }
        if (shown != null && (irExhausted || visibleUs - time(shown) <= maxStaleUs) && visibleUs >= time(shown)) {
            lastSkewUs = time(shown) - visibleUs;
            held++;
            return PairDecision.HELD;
        }
        dropped++;
        return PairDecision.DROPPED;
    }

    /** Moves forward in the IR stream while the look-ahead frame is at least as near to {@code t}. */
    private void advanceTo(long t) {
        while (next != null && Math.abs(time(next) - t) <= Math.abs(time(current) - t)) {
            current = next;
            next = readInto(freeHolder());
        }
    }

    private TimedPlane freeHolder() {
        for (TimedPlane p : pool) {
            if (p != current && p != shown) {
                return p;
            }
        }
        throw new IllegalStateException("no free IR holder");
    }

    private TimedPlane readInto(TimedPlane holder) {
        if (irEnded || !ir.read(holder)) {
            irEnded = true;
            return null;
        }
        long t = holder.timestampUs() + irOffsetUs;
        if (irFirstUs == Long.MIN_VALUE) {
            irFirstUs = t;
        }
        irLastUs = t;
        return holder;
    }

    private long time(TimedPlane p) {
        return p.timestampUs() + irOffsetUs;
    }

    /** The IR frame to fuse after {@link PairDecision#PAIRED} or {@link PairDecision#HELD}. */
    public TimedPlane irFrame() {
        return shown;
    }

    public PairDecision lastDecision() {
        return lastDecision;
    }

    /** IR time minus visible time of the last pair (microseconds, offset applied). */
    public long lastSkewUs() {
        return lastSkewUs;
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

    /** First and last IR times seen (offset applied), for error messages; MIN_VALUE when none. */
    public long irFirstUs() {
        return irFirstUs;
    }

    public long irLastUs() {
        return irLastUs;
    }
}
