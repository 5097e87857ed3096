package io.ivfuse.quality.metric;

import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;

/**
 * Metrics weighting errors by a contrast sensitivity function (CSF) applied in the frequency
 * domain, with MEFB's parameters (see ../shared/data/mef/GOLDEN.md): Qcb (Chen and Blum 2009), on
 * the images min-max normalised to 0..255 and rounded, the CSF on MATLAB's freqspace grid scaled
 * to cycles per degree. (Chen and Varshney's Qcv, the other such metric of MEFB, is not here: an
 * implementation from the paper did not reproduce MEFB's values; see benchmarks/mef.md.)
 */
public final class HumanVisionMetrics {
    private static final int GAUSS_HALF = 15;
    private static final double[] CONTRAST_CENTRE = unnormalisedGaussian(2);
    private static final double[] CONTRAST_SURROUND = unnormalisedGaussian(4);

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
