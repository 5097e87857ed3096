package io.ivfuse.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.IvfuseConfig.EndPolicy;
import io.ivfuse.source.FrameQueue;
import io.ivfuse.source.InputFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FramePairerTest {

    /**
     * An ended queue of IR frames at the given times (µs); each frame's pixel holds its index, to
     * check which one was paired.
     */
    private static FrameQueue irAt(long... times) {
        FrameQueue q = new FrameQueue(times.length, 3, () -> InputFrame.gray(1, 1));
        for (int i = 0; i < times.length; i++) {
            InputFrame f = q.acquire(false);
            f.setTimestampUs(times[i]);
            f.plane().set(0, 0, i);
            q.publish(f);
        }
        q.end(null);
        return q;
    }

    private static long[] frames(double fps, int count, long startUs) {
        return LongStream.range(0, count).map(i -> startUs + Math.round(i * 1e6 / fps)).toArray();
    }

    private static FramePairer pairer(FrameQueue ir, double visFps, double irFps, long offsetUs, EndPolicy end) {
        return new FramePairer(ir, FramePairer.defaultToleranceUs(visFps, irFps), FramePairer.defaultMaxStaleUs(visFps, irFps),
                offsetUs, end, false);
    }

    private record Outcome(List<PairDecision> decisions, List<Integer> irIndex) {
        long count(PairDecision d) {
            return decisions.stream().filter(d::equals).count();
        }
    }

    private static Outcome run(FramePairer p, long[] visible) {
        List<PairDecision> out = new ArrayList<>();
        List<Integer> ir = new ArrayList<>();
        for (long t : visible) {
            PairDecision d = p.pair(t);
            out.add(d);
            ir.add(d == PairDecision.PAIRED || d == PairDecision.HELD ? p.irFrame().plane().get(0, 0) : -1);
            if (d == PairDecision.END) {
                break;
            }
        }
        return new Outcome(out, ir);
    }

    @Test
    void equalRatesPairOneToOne() {
        long[] t = frames(30, 60, 0);
        Outcome o = run(pairer(irAt(t), 30, 30, 0, EndPolicy.SHORTEST), t);
        assertEquals(60, o.count(PairDecision.PAIRED));
        for (int i = 0; i < 60; i++) {
            assertEquals(i, o.irIndex.get(i));
        }
    }

    @Test
    void nineFpsInfraredAgainstThirtyFpsVisiblePairsNearestAndHoldsBetween() {
        long[] vis = frames(30, 90, 0);          // 3 s
        long[] ir = frames(9, 27, 0);            // 3 s
        FramePairer p = pairer(irAt(ir), 30, 9, 0, EndPolicy.SHORTEST);
        Outcome o = run(p, vis);
        // Every visible frame is fused: within 1/60 s of an IR frame (paired) or holding the last one.
        assertEquals(0, o.count(PairDecision.DROPPED));
        assertEquals(90, o.count(PairDecision.PAIRED) + o.count(PairDecision.HELD));
        // IR frame k at k/9 s lies within 1/60 s of a visible frame exactly when 30k/9 is within 0.5 of an integer.
        long expectedPaired = LongStream.range(0, 27).filter(k -> Math.abs(30.0 * k / 9 - Math.round(30.0 * k / 9)) <= 0.5).count();
        assertEquals(expectedPaired, o.count(PairDecision.PAIRED));
        assertEquals(expectedPaired, p.pairedCount());
        assertEquals(90 - expectedPaired, p.heldCount());
        // Each fused IR frame is the latest one at or before the visible time, or the nearest one.
        for (int i = 0; i < 90; i++) {
            long tv = vis[i];
            int k = o.irIndex.get(i);
            assertTrue(ir[k] <= tv + FramePairer.defaultToleranceUs(30, 9), "frame " + i + " paired with a future IR frame");
            assertTrue(tv - ir[k] <= FramePairer.defaultMaxStaleUs(30, 9), "frame " + i + " held a stale IR frame");
        }
    }

    @Test
    void offsetShiftsWhichInfraredFrameIsNearest() {
        long[] vis = frames(30, 30, 0);
        long[] ir = frames(30, 40, 0);
        // The IR camera started 5 frames (166.7 ms) late relative to its own clock: shift it back.
        Outcome o = run(pairer(irAt(ir), 30, 30, -Math.round(5e6 / 30), EndPolicy.SHORTEST), vis);
        assertEquals(30, o.count(PairDecision.PAIRED));
        assertEquals(5, o.irIndex.get(0));
        assertEquals(34, o.irIndex.get(29));
    }

    @Test
    void visibleFramesBeforeTheInfraredStartsAreDropped() {
        long[] vis = frames(30, 30, 0);
        long[] ir = frames(30, 20, Math.round(10e6 / 30)); // IR starts at visible frame 10
        FramePairer p = pairer(irAt(ir), 30, 30, 0, EndPolicy.SHORTEST);
        Outcome o = run(p, vis);
        assertEquals(10, p.droppedCount());
        assertEquals(20, p.pairedCount());
        assertEquals(0, o.irIndex.get(10));
    }

    @Test
    void aGapInTheInfraredIsHeldUpToTheStalenessThenDropped() {
        // IR at 30 fps with frames 10..29 missing (a 667 ms gap), then resuming.
        long[] all = frames(30, 60, 0);
        long[] ir = LongStream.of(all).filter(t -> t < all[10] || t >= all[30]).toArray();
        FramePairer p = pairer(irAt(ir), 30, 30, 0, EndPolicy.SHORTEST);
        Outcome o = run(p, all);
        long stale = FramePairer.defaultMaxStaleUs(30, 30); // 50 ms: one frame can be held
        assertEquals(40, p.pairedCount());
        assertEquals(1, p.heldCount(), "stale limit " + stale + " us holds frame 9 once");
        assertEquals(19, p.droppedCount());
        assertEquals(9, o.irIndex.get(10));
        assertEquals(PairDecision.DROPPED, o.decisions.get(11));
        assertEquals(10, o.irIndex.get(30)); // resumes with the next IR frame
    }

    @Test
    void stopsAtTheShorterStreamByDefault() {
        long[] vis = frames(30, 90, 0);
        long[] ir = frames(30, 45, 0);
        Outcome o = run(pairer(irAt(ir), 30, 30, 0, EndPolicy.SHORTEST), vis);
        assertEquals(45, o.count(PairDecision.PAIRED));
        // The last IR frame is still fresh (33 ms < 50 ms staleness) for one more visible frame.
        assertEquals(PairDecision.HELD, o.decisions.get(45));
        assertEquals(PairDecision.END, o.decisions.get(46));
    }

    @Test
    void longestKeepsTheVisibleStreamOnTheLastInfraredFrame() {
        long[] vis = frames(30, 90, 0);
        long[] ir = frames(30, 45, 0);
        FramePairer p = pairer(irAt(ir), 30, 30, 0, EndPolicy.LONGEST);
        Outcome o = run(p, vis);
        assertEquals(45, p.pairedCount());
        assertEquals(45, p.heldCount());
        assertEquals(44, o.irIndex.get(89));
    }

    @Test
    void timestampsThatNeverOverlapEndWithoutAPair() {
        long[] vis = frames(30, 30, 0);
        long[] ir = frames(30, 30, 0);
        FramePairer p = pairer(irAt(ir), 30, 30, -10_000_000, EndPolicy.SHORTEST); // IR 10 s earlier
        Outcome o = run(p, vis);
        assertEquals(PairDecision.END, o.decisions.get(0));
        assertEquals(0, p.pairedCount());
        assertEquals(-10_000_000, p.irFirstUs());
    }

    @Test
    void defaultsFollowTheFrameRates() {
        assertEquals(16_667, FramePairer.defaultToleranceUs(30, 9));
        assertEquals(166_667, FramePairer.defaultMaxStaleUs(30, 9));
        assertEquals(20_000, FramePairer.defaultToleranceUs(25, 25));
    }
}
