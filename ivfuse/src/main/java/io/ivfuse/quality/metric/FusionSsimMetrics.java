package io.ivfuse.quality.metric;

import java.util.function.Function;

/**
 * Fusion metrics built on local SSIM maps of each source against the fused image, with MEFB's
 * parameters (see ../shared/data/mef/GOLDEN.md): Qy (Yang et al. 2008) and Qw, Piella and
 * Heijmans' edge-dependent fusion quality index (2003) with alpha = 1.
 *
 * <p>Qy uses C1 = C2 = 2e-16. Where both windows are flat, the variances E[x^2] - mu^2 are
 * floating-point residue far above that constant, so the local SSIM there is a ratio of rounding
 * noise: those values depend on the order of summation and no two implementations agree on them
 * (see the MEFB golden test).
 */
public final class FusionSsimMetrics {
    private static final double[] YANG_WINDOW = Filters.gaussian(7, 1.5);
    private static final double[] WANG_WINDOW = Filters.gaussian(11, 1.5);
    private static final double TINY = 2e-16;
    private static final Function<GrayPlane, Filters.WindowStats> YANG_STATS = p -> Filters.stats(p, YANG_WINDOW);
    private static final Function<GrayPlane, GrayPlane> PREWITT_EDGES = FusionSsimMetrics::prewittMagnitude;
    private static final Function<GrayPlane, Filters.WindowStats> WANG_STATS = p -> Filters.stats(p, WANG_WINDOW);
    /** SSIM(A, B) of a source pair, shared by every fused image measured against it. */
    private static final java.util.function.BiFunction<GrayPlane, GrayPlane, LocalSsim> SOURCES_SSIM = FusionSsimMetrics::yang;

    private FusionSsimMetrics() {
    }

    /** Local SSIM and the two variances of one pair of planes on the 'valid' grid. */
    record LocalSsim(double[] ssim, double[] varX, double[] varY) {
    }

    static LocalSsim localSsim(GrayPlane x, GrayPlane y, double[] window, Function<GrayPlane, Filters.WindowStats> stats,
            double c1, double c2) {
        Filters.WindowStats sx = x.derived(stats);
        Filters.WindowStats sy = y.derived(stats);
        double[] xy = Filters.validOfProduct(x, y, window);
        int n = xy.length;
        double[] ssim = new double[n];
        double[] vx = new double[n];
        double[] vy = new double[n];
        for (int i = 0; i < n; i++) {
            double mx = sx.mean()[i];
            double my = sy.mean()[i];
            vx[i] = sx.meanOfSquares()[i] - mx * mx;
            vy[i] = sy.meanOfSquares()[i] - my * my;
            double cov = xy[i] - mx * my;
            ssim[i] = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx[i] + vy[i] + c2));
        }
        return new LocalSsim(ssim, vx, vy);
    }

    private static LocalSsim yang(GrayPlane x, GrayPlane y) {
        return localSsim(x, y, YANG_WINDOW, YANG_STATS, TINY, TINY);
    }

    /**
     * Yang's index: where the sources are alike (SSIM(A, B) >= 0.75) the variance-weighted mean of
     * SSIM(A, F) and SSIM(B, F), elsewhere their maximum; the mean over windows, undefined ones left out.
     */
    static double qy(GrayPlane a, GrayPlane b, GrayPlane f) {
        LocalSsim ab = a.derived(SOURCES_SSIM, b);
        LocalSsim af = yang(a, f);
        LocalSsim bf = yang(b, f);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < ab.ssim.length; i++) {
            double q;
            if (ab.ssim[i] >= 0.75) {
                double lambda = ab.varX[i] / (ab.varX[i] + ab.varY[i]);
                q = lambda * af.ssim[i] + (1 - lambda) * bf.ssim[i];
            } else {
                q = Math.max(af.ssim[i], bf.ssim[i]);
            }
            if (!Double.isNaN(q)) {
                sum += q;
                n++;
            }
        }
        return sum / n;
    }

    /**
     * The windows where Qy's local SSIM is ill-conditioned: 7x7 'valid' windows in which
     * var(A) + var(F) or var(B) + var(F) is below 1e-6, so that the variances are rounding residue.
     */
    static long illConditionedWindows(GrayPlane a, GrayPlane b, GrayPlane f) {
        LocalSsim af = yang(a, f);
        LocalSsim bf = yang(b, f);
        long n = 0;
        for (int i = 0; i < af.ssim.length; i++) {
            if (af.varX[i] + af.varY[i] < 1e-6 || bf.varX[i] + bf.varY[i] < 1e-6) {
                n++;
            }
        }
        return n;
    }

    /**
     * Piella's edge-dependent index with alpha = 1: the weighted fusion quality index of the
     * Prewitt edge magnitudes (zero padding), SSIM (11, 1.5, K = 0.01, 0.03, L = 255) as the local
     * index, saliency = local variance, window weight max(var A, var B) / sum.
     */
    static double qw(GrayPlane a, GrayPlane b, GrayPlane f) {
        GrayPlane ea = a.derived(PREWITT_EDGES);
        GrayPlane eb = b.derived(PREWITT_EDGES);
        GrayPlane ef = f.derived(PREWITT_EDGES);
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        LocalSsim af = localSsim(ea, ef, WANG_WINDOW, WANG_STATS, c1, c2);
        LocalSsim bf = localSsim(eb, ef, WANG_WINDOW, WANG_STATS, c1, c2);
        double num = 0;
        double den = 0;
        for (int i = 0; i < af.ssim.length; i++) {
            double va = af.varX[i];
            double vb = bf.varX[i];
            double weight = Math.max(va, vb);
            if (weight == 0) {
                continue; // adds nothing: both sources flat in this window
            }
            double lambda = va / (va + vb);
            num += weight * (lambda * af.ssim[i] + (1 - lambda) * bf.ssim[i]);
            den += weight;
        }
        return num / den;
    }

    /** sqrt(x^2 + y^2) of the Prewitt responses [1 0 -1] x 3 rows and its transpose, zero padding. */
    private static GrayPlane prewittMagnitude(GrayPlane p) {
        int w = p.width;
        int h = p.height;
        double[] s = p.samples;
        double[] out = new double[s.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double gx = 0;
                double gy = 0;
                for (int d = -1; d <= 1; d++) {
                    gx += at(s, w, h, x - 1, y + d) - at(s, w, h, x + 1, y + d);
                    gy += at(s, w, h, x + d, y - 1) - at(s, w, h, x + d, y + 1);
                }
                out[y * w + x] = Math.sqrt(gx * gx + gy * gy);
            }
        }
        return new GrayPlane(out, w, h);
    }

    /** The sample at (x, y), 0 outside the plane. */
    static double at(double[] s, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : s[y * w + x];
    }
}
