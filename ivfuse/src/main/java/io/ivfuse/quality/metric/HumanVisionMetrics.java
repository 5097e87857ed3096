package io.ivfuse.quality.metric;

import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;

/**
 * Metrics weighting errors by a contrast sensitivity function (CSF) applied in the frequency
 * domain, with MEFB's parameters (see ../shared/data/mef/GOLDEN.md): Qcb (Chen and Blum 2009) and
 * Qcv (Chen and Varshney 2007, lower is better). Both work on the images min-max normalised to
 * 0..255 and rounded, and give the CSF on MATLAB's freqspace grid scaled to cycles per degree.
 */
public final class HumanVisionMetrics {
    private static final int GAUSS_HALF = 15;
    private static final double[] CONTRAST_CENTRE = unnormalisedGaussian(2);
    private static final double[] CONTRAST_SURROUND = unnormalisedGaussian(4);
    private static final int BLOCK = 16;
    private static final double SALIENCY_EXPONENT = 5;

    private HumanVisionMetrics() {
    }

    /** Chen and Blum's difference-of-Gaussians CSF (f0 = 15.3870, f1 = 1.3456, a = 0.7622), grid scaled by W/30, H/30. */
    private static DoubleBinaryOperator dogCsf(int w, int h) {
        return (u, v) -> {
            double r = Math.hypot(u * w / 30, v * h / 30);
            return Math.exp(-Math.pow(r / 15.3870, 2)) - 0.7622 * Math.exp(-Math.pow(r / 1.3456, 2));
        };
    }

    /**
     * The Mannos-Sakrison CSF as Qcv uses it, 2.6 (0.0192 + 0.144 r) exp(-(0.144 r)^1.1), grid
     * scaled by W/8, H/8. MEFB's values need 0.144, not the 0.114 usually quoted for Mannos and
     * Sakrison (with 0.114 Qcv is 5-10% off).
     */
    private static DoubleBinaryOperator mannosSakrison(int w, int h) {
        return (u, v) -> {
            double r = Math.hypot(u * w / 8, v * h / 8);
            return 2.6 * (0.0192 + 0.144 * r) * Math.exp(-Math.pow(0.144 * r, 1.1));
        };
    }

    /**
     * Qcv: the CSF-filtered differences A - F and B - F (A, B and F filtered apart), their mean
     * square per 16x16 block (zero padded at the bottom and right, the padding counted in the
     * mean), weighted by each source's saliency, the block sum of its Sobel gradient magnitude
     * (zero padding) to the 5th power; the sum of weighted errors over the sum of weights.
     */
    static double qcv(GrayPlane a, GrayPlane b, GrayPlane f) {
        GrayPlane na = a.derived(InformationMetrics.NORMALISED);
        GrayPlane nb = b.derived(InformationMetrics.NORMALISED);
        GrayPlane nf = f.derived(InformationMetrics.NORMALISED);
        double[] sa = na.derived(SALIENCY);
        double[] sb = nb.derived(SALIENCY);
        double[] da = blockSums(squaredFilteredDifference(na, nf), na.width, na.height);
        double[] db = blockSums(squaredFilteredDifference(nb, nf), nb.width, nb.height);
        double num = 0;
        double den = 0;
        for (int i = 0; i < sa.length; i++) {
            num += (sa[i] * da[i] + sb[i] * db[i]) / (BLOCK * BLOCK);
            den += sa[i] + sb[i];
        }
        return num / den;
    }

    /** A source's block saliency, shared by every fused image measured against it. */
    private static final Function<GrayPlane, double[]> SALIENCY = HumanVisionMetrics::blockSaliency;

    private static double[] blockSaliency(GrayPlane p) {
        double[] g = EdgeTransferMetrics.zeroPaddedSobelMagnitude(p);
        double[] powered = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            powered[i] = Math.pow(g[i], SALIENCY_EXPONENT);
        }
        return blockSums(powered, p.width, p.height);
    }

    /**
     * The CSF-filtered plane. The filter is linear, so a source is filtered once per pair, not once
     * per fused image.
     */
    private static final Function<GrayPlane, double[]> CSF_FILTERED =
            p -> Spectral.filter(p.samples, p.width, p.height, mannosSakrison(p.width, p.height));

    private static double[] squaredFilteredDifference(GrayPlane x, GrayPlane f) {
        double[] fx = x.derived(CSF_FILTERED);
        double[] ff = f.derived(CSF_FILTERED);
        double[] e = new double[fx.length];
        for (int i = 0; i < e.length; i++) {
            double d = fx[i] - ff[i];
            e[i] = d * d;
        }
        return e;
    }

    /** Sums over 16x16 blocks from the top left, the last row and column of blocks partial. */
    private static double[] blockSums(double[] v, int w, int h) {
        int bw = (w + BLOCK - 1) / BLOCK;
        int bh = (h + BLOCK - 1) / BLOCK;
        double[] out = new double[bw * bh];
        for (int y = 0; y < h; y++) {
            int row = (y / BLOCK) * bw;
            for (int x = 0; x < w; x++) {
                out[row + x / BLOCK] += v[y * w + x];
            }
        }
        return out;
    }

    /**
     * Qcb: each image CSF-filtered, local contrast C = G2 * I / G4 * I - 1 (31x31 Gaussians, sigma 2
     * and 4, zero padding), masked contrast C' = |C|^3 / (|C|^2 + 1e-4); the preservation of A in F
     * is the smaller over the larger masked contrast, weighted by C'_A^2 / (C'_A^2 + C'_B^2); the mean.
     */
    static double qcb(GrayPlane a, GrayPlane b, GrayPlane f) {
        double[] ca = maskedContrast(a);
        double[] cb = maskedContrast(b);
        double[] cf = maskedContrast(f);
        double sum = 0;
        for (int i = 0; i < ca.length; i++) {
            double qa = ca[i] < cf[i] ? ca[i] / cf[i] : cf[i] / ca[i];
            double qb = cb[i] < cf[i] ? cb[i] / cf[i] : cf[i] / cb[i];
            double wa = ca[i] * ca[i];
            double wb = cb[i] * cb[i];
            double lambda = wa / (wa + wb);
            sum += lambda * qa + (1 - lambda) * qb;
        }
        return sum / ca.length;
    }

    private static final Function<GrayPlane, double[]> MASKED_CONTRAST = HumanVisionMetrics::computeMaskedContrast;

    private static double[] maskedContrast(GrayPlane p) {
        return p.derived(MASKED_CONTRAST);
    }

    private static double[] computeMaskedContrast(GrayPlane plane) {
        GrayPlane n = plane.derived(InformationMetrics.NORMALISED);
        GrayPlane filtered = new GrayPlane(Spectral.filter(n.samples, n.width, n.height, dogCsf(n.width, n.height)),
                n.width, n.height);
        double[] centre = Filters.sameZeroPadded(filtered, CONTRAST_CENTRE);
        double[] surround = Filters.sameZeroPadded(filtered, CONTRAST_SURROUND);
        double[] out = new double[centre.length];
        for (int i = 0; i < out.length; i++) {
            double c = Math.abs(centre[i] / surround[i] - 1);
            out[i] = c * c * c / (c * c + 1e-4);
        }
        return out;
    }

    /** The 1-D factor of a 31x31 Gaussian exp(-r^2 / 2 s^2) / (2 pi s^2), not rescaled to sum 1. */
    private static double[] unnormalisedGaussian(double sigma) {
        double[] g = new double[2 * GAUSS_HALF + 1];
        for (int i = 0; i < g.length; i++) {
            double x = i - GAUSS_HALF;
            g[i] = Math.exp(-x * x / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma);
        }
        return g;
    }
}
