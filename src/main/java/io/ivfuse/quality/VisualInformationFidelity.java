package io.ivfuse.quality;

/**
 * Pixel-domain VIF (Sheikh and Bovik) as in the CDDFuse evaluator: noise variance 2, four scales,
 * Gaussian window of N = 2^(5-s)+1 with sigma N/5, 'valid' filtering, downsampling by 2 between scales.
 */
public final class VisualInformationFidelity {
    private static final double SIGMA_NSQ = 2;
    private static final double EPS = 1e-10;

    private VisualInformationFidelity() {
    }

    /** VIF of {@code dist} against {@code ref}; 1 when undefined (0/0), as the reference returns. */
    public static double vif(double[] ref, double[] dist, int w, int h) {
        double num = 0;
        double den = 0;
        for (int scale = 1; scale <= 4; scale++) {
            int n = (1 << (4 - scale + 1)) + 1;
            double[] win = Filters.gaussian(n, n / 5.0);
            if (scale > 1) {
                int fw = w - n + 1;
                int fh = h - n + 1;
                if (fw < 1 || fh < 1) {
                    break;
                }
                double[] r = Filters.valid(ref, w, h, win);
                double[] d = Filters.valid(dist, w, h, win);
                int nw = (fw + 1) / 2;
                int nh = (fh + 1) / 2;
                ref = subsample(r, fw, nw, nh);
                dist = subsample(d, fw, nw, nh);
                w = nw;
                h = nh;
            }
            if (w < n || h < n) {
                break;
            }
            double[] mu1 = Filters.valid(ref, w, h, win);
            double[] mu2 = Filters.valid(dist, w, h, win);
            double[] s11 = Filters.valid(Filters.product(ref, ref), w, h, win);
            double[] s22 = Filters.valid(Filters.product(dist, dist), w, h, win);
            double[] s12 = Filters.valid(Filters.product(ref, dist), w, h, win);
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

    private static double[] subsample(double[] img, int w, int nw, int nh) {
        double[] out = new double[nw * nh];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                out[y * nw + x] = img[2 * y * w + 2 * x];
            }
        }
        return out;
    }
}
