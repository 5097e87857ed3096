package io.ivfuse.quality.metric;

import java.util.function.Function;

/**
 * Pixel-domain VIF (Sheikh and Bovik) as in the CDDFuse evaluator: noise variance 2, four scales,
 * Gaussian window of N = 2^(5-s)+1 with sigma N/5, 'valid' filtering, downsampling by 2 between scales.
 * Each plane's coarser scales and windowed statistics are derived once (see {@link GrayPlane}), so
 * VIF(A,F) + VIF(B,F) filters F once.
 */
public final class VisualInformationFidelity {
    private static final double SIGMA_NSQ = 2;
    private static final double EPS = 1e-10;
    private static final int SCALES = 4;
    /** Per scale s (index s-1): the window, the plane at that scale made from the previous one, its stats. */
    private static final double[][] WINDOWS = new double[SCALES][];
    private static final Function<GrayPlane, GrayPlane>[] NEXT_SCALE = newFunctions();
    private static final Function<GrayPlane, Filters.WindowStats>[] STATS = newFunctions();

    static {
        for (int s = 0; s < SCALES; s++) {
            int n = (1 << (SCALES - s)) + 1;
            double[] win = Filters.gaussian(n, n / 5.0);
            WINDOWS[s] = win;
            STATS[s] = p -> Filters.stats(p, win);
            NEXT_SCALE[s] = p -> Filters.validDecimated(p, win);
        }
    }

    private VisualInformationFidelity() {
    }

    @SuppressWarnings("unchecked")
    private static <T> Function<GrayPlane, T>[] newFunctions() {
        return new Function[SCALES];
    }

    /** VIF of {@code dist} against {@code ref}; 1 when undefined (0/0), as the reference returns. */
    public static double vif(double[] ref, double[] dist, int w, int h) {
        return vif(new GrayPlane(ref, w, h), new GrayPlane(dist, w, h));
    }

    static double vif(GrayPlane ref, GrayPlane dist) {
        double num = 0;
        double den = 0;
        for (int s = 0; s < SCALES; s++) {
            int n = WINDOWS[s].length;
            if (s > 0) {
                if (ref.width - n + 1 < 1 || ref.height - n + 1 < 1) {
                    break;
                }
                // The previous scale's plane filtered with this scale's window, then every second sample.
                ref = ref.derived(NEXT_SCALE[s]);
                dist = dist.derived(NEXT_SCALE[s]);
            }
            if (ref.width < n || ref.height < n) {
                break;
            }
            Filters.WindowStats a = ref.derived(STATS[s]);
            Filters.WindowStats b = dist.derived(STATS[s]);
            double[] mu1 = a.mean();
            double[] mu2 = b.mean();
            double[] s11 = a.meanOfSquares();
            double[] s22 = b.meanOfSquares();
            double[] s12 = Filters.validOfProduct(ref, dist, WINDOWS[s]);
            double numProduct = 1;
            double denProduct = 1;
            int pending = 0;
            for (int i = 0; i < mu1.length; i++) {
                double sigma1 = Math.max(0, s11[i] - mu1[i] * mu1[i]);
                double sigma2 = Math.max(0, s22[i] - mu2[i] * mu2[i]);
                double sigma12 = s12[i] - mu1[i] * mu2[i];
                double g = sigma12 / (sigma1 + EPS);
                double sv = sigma2 - g * sigma12;
                if (sigma1 < EPS) {
                    g = 0;
                    sv = sigma2;
                    sigma1 = 0;
                }
                if (sigma2 < EPS) {
                    g = 0;
                    sv = 0;
                }
                if (g < 0) {
                    sv = sigma2;
                    g = 0;
                }
                if (sv <= EPS) {
                    sv = EPS;
                }
                // Sums of logs taken as logs of products of a few factors: far fewer log calls, same value to ~1e-15.
                numProduct *= 1 + g * g * sigma1 / (sv + SIGMA_NSQ);
                denProduct *= 1 + sigma1 / SIGMA_NSQ;
                if (++pending == 8 || numProduct > 1e200 || denProduct > 1e200) {
                    num += Math.log10(numProduct);
                    den += Math.log10(denProduct);
                    numProduct = 1;
                    denProduct = 1;
                    pending = 0;
                }
            }
            num += Math.log10(numProduct);
            den += Math.log10(denProduct);
        }
        double v = num / den;
        return Double.isNaN(v) ? 1.0 : v;
    }
}
