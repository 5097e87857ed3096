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
    static final int SCALES = 4;
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

    /** The window of scale s (0 = finest): fspecial('gaussian', N, N/5), N = 2^(4-s)+1. */
    static double[] window(int s) {
        return WINDOWS[s];
    }

    /** The plane at scale s, made from {@code previous} (scale s-1): filtered 'valid' with scale s's window, every second sample. */
    static GrayPlane nextScale(GrayPlane previous, int s) {
        return previous.derived(NEXT_SCALE[s]);
    }

    /** The windowed statistics of a plane at scale s, through that scale's window, 'valid'. */
    static Filters.WindowStats stats(GrayPlane p, int s) {
        return p.derived(STATS[s]);
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
        double numTotal = 0;
        double denTotal = 0;
        for (int s = 0; s < SCALES; s++) {
            int n = WINDOWS[s].length;
            if (s > 0) {
                if (ref.width - n + 1 < 1 || ref.height - n + 1 < 1) {
                    break;
                }
                // The previous scale's plane filtered with this scale's window, then every second sample.
                ref = nextScale(ref, s);
                dist = nextScale(dist, s);
            }
            if (ref.width < n || ref.height < n) {
                break;
            }
            Filters.WindowStats a = stats(ref, s);
            Filters.WindowStats b = stats(dist, s);
            double[] mu1 = a.mean();
            double[] mu2 = b.mean();
            double[] s11 = a.meanOfSquares();
            double[] s22 = b.meanOfSquares();
            double[] s12 = Filters.validOfProduct(ref, dist, WINDOWS[s]);
            LogSum num = new LogSum();
            LogSum den = new LogSum();
            GainAndNoise model = new GainAndNoise();
            for (int i = 0; i < mu1.length; i++) {
                model.fit(s11[i] - mu1[i] * mu1[i], s22[i] - mu2[i] * mu2[i], s12[i] - mu1[i] * mu2[i]);
                num.times(1 + model.g * model.g * model.sigmaRef / (model.sv + SIGMA_NSQ));
                den.times(1 + model.sigmaRef / SIGMA_NSQ);
            }
            numTotal += num.log10();
            denTotal += den.log10();
        }
        double v = numTotal / denTotal;
        return Double.isNaN(v) ? 1.0 : v;
    }

    /**
     * The distortion model of one window, dist = g ref + noise of variance sv, fitted from the
     * windowed variances and covariance with the reference code's guards: a flat reference or
     * distorted window, or a negative gain, leaves no gain.
     */
    static final class GainAndNoise {
        double g;
        double sv;
        /** The reference's variance, 0 where it is below the guard. */
        double sigmaRef;

        void fit(double sigmaRefIn, double sigmaDist, double sigmaCross) {
            double sigma1 = Math.max(0, sigmaRefIn);
            double sigma2 = Math.max(0, sigmaDist);
            g = sigmaCross / (sigma1 + EPS);
            sv = sigma2 - g * sigmaCross;
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
            sigmaRef = sigma1;
        }
    }

    /**
     * A sum of log10 of factors >= 1, taken as the logs of products of a few factors: far fewer
     * log calls, the same value to ~1e-15.
     */
    static final class LogSum {
        private double sum;
        private double product = 1;
        private int pending;

        void times(double factor) {
            product *= factor;
            if (++pending == 8 || product > 1e200) {
                sum += Math.log10(product);
                product = 1;
                pending = 0;
            }
        }

        double log10() {
            return sum + Math.log10(product);
        }
    }
}
