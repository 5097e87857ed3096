package io.ivfuse.fusion.video;

/**
 * Tells a scene cut from an exposure change: each exposure's low-resolution luma is compared with
 * the previous frame of the same exposure by their correlation coefficient, which a change of
 * exposure, gain or gamma (a monotone map of the levels) leaves high and a new scene drops. One
 * previous frame per exposure, kept in buffers made once.
 */
final class SceneCut {
    /** Correlation below which the scene counts as a new one. */
    static final double MIN_CORRELATION = 0.5;

    private final int n;
    private final byte[][] previous;
    private final boolean[] seen;

    SceneCut(int pixels, int exposures) {
        this.n = pixels;
        previous = new byte[exposures][pixels];
        seen = new boolean[exposures];
    }

    /** Whether exposure {@code k}'s frame {@code luma} starts a new scene; then remembers it. */
    boolean check(int k, byte[] luma) {
        boolean cut = seen[k] && correlation(previous[k], luma) < MIN_CORRELATION;
        System.arraycopy(luma, 0, previous[k], 0, n);
        seen[k] = true;
        return cut;
    }

    private double correlation(byte[] a, byte[] b) {
        long sa = 0;
        long sb = 0;
        long saa = 0;
        long sbb = 0;
        long sab = 0;
        for (int i = 0; i < n; i++) {
            int x = a[i] & 0xFF;
            int y = b[i] & 0xFF;
            sa += x;
            sb += y;
            saa += (long) x * x;
            sbb += (long) y * y;
            sab += (long) x * y;
        }
        double va = saa - (double) sa * sa / n;
        double vb = sbb - (double) sb * sb / n;
        if (va < n || vb < n) {
            return 1; // a flat frame (below one level of deviation): no structure to compare
        }
        return (sab - (double) sa * sb / n) / Math.sqrt(va * vb);
    }

    void reset() {
        java.util.Arrays.fill(seen, false);
    }
}
