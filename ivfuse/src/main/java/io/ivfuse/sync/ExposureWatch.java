package io.ivfuse.sync;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Looks at the exposure pairs of an mef run for input that cannot be fused into anything better
 * than one of them: an exposure that is all black or all white (a capped lens, a saturated
 * sensor), and two exposures that are the same picture (one camera given twice, or a bracketing
 * that is off). Each finding is reported once per run, naming the input and the frame, and the
 * run goes on: nothing is dropped. Every {@link #CHECK_EVERY}-th pair is looked at, on a grid of
 * every {@value #SAMPLE_STEP}-th pixel of every {@value #SAMPLE_STEP}-th row (about 20 us at
 * 640x480); the planes are full-range luminance of one size (the over exposure registered).
 * Allocates nothing per frame. Used by one thread.
 */
public final class ExposureWatch {
    /** Pairs between two looks. */
    public static final int CHECK_EVERY = 8;
    static final int SAMPLE_STEP = 4;
    /** All black: no sample above this (full range 0..255). */
    static final int BLACK_MAX = 8;
    /** All white: no sample below this. */
    static final int WHITE_MIN = 247;

    private final String underLabel;
    private final String overLabel;
    private final Consumer<String> warn;
    private final boolean[] flatWarned = new boolean[2];
    private boolean identicalWarned;
    private long pairs;

    /**
     * @param underLabel how messages name the under exposure (e.g. "under input 'a.mkv'")
     * @param warn       where the one-line warnings go
     */
    public ExposureWatch(String underLabel, String overLabel, Consumer<String> warn) {
        this.underLabel = underLabel;
        this.overLabel = overLabel;
        this.warn = warn;
    }

    /** One fused pair: output frame {@code frame}, the under and the over exposure's luminance. */
    public void check(Plane under, Plane over, long frame) {
        if (pairs++ % CHECK_EVERY != 0 || (identicalWarned && flatWarned[0] && flatWarned[1])) {
            return;
        }
        boolean underFlat = flat(0, underLabel, under, frame);
        boolean overFlat = flat(1, overLabel, over, frame);
        if (!identicalWarned && !(underFlat && overFlat) && under.sameSize(over) && sameSamples(under, over)) {
            identicalWarned = true;
            warn.accept(underLabel + " and " + overLabel + " are the same picture at frame " + frame
                    + ": not two exposures, so the fused output is that picture");
        }
    }

    /** Whether {@code y} is all black or all white; warns the first time for that input. */
    private boolean flat(int input, String label, Plane y, long frame) {
        int min = 255;
        int max = 0;
        ByteBuffer data = y.data();
        for (int row = SAMPLE_STEP / 2; row < y.height(); row += SAMPLE_STEP) {
            int base = row * y.stride();
            for (int x = SAMPLE_STEP / 2; x < y.width(); x += SAMPLE_STEP) {
                int v = data.get(base + x) & 0xFF;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        String what = max <= BLACK_MAX ? "all black" : min >= WHITE_MIN ? "all white" : null;
        if (what == null) {
            return false;
        }
        if (!flatWarned[input]) {
            flatWarned[input] = true;
            warn.accept(label + " is " + what + " at frame " + frame + " (luminance " + min + " to " + max
                    + "): it adds no detail to the fusion");
        }
        return true;
    }

    private static boolean sameSamples(Plane a, Plane b) {
        ByteBuffer da = a.data();
        ByteBuffer db = b.data();
        for (int row = SAMPLE_STEP / 2; row < a.height(); row += SAMPLE_STEP) {
            int ba = row * a.stride();
            int bb = row * b.stride();
            for (int x = SAMPLE_STEP / 2; x < a.width(); x += SAMPLE_STEP) {
                if (da.get(ba + x) != db.get(bb + x)) {
                    return false;
                }
            }
        }
        return true;
    }
}
