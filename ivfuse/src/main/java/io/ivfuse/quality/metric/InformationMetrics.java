package io.ivfuse.quality.metric;

import java.util.function.Function;

/**
 * Histogram-based metrics: entropy, cross entropy, mutual information. Gray planes, 8-bit scale.
 * Each plane's histograms and bin indices are derived once (see {@link GrayPlane}).
 */
public final class InformationMetrics {
    private static final double LN2 = Math.log(2);
    private static final Function<GrayPlane, long[]> FLOOR_HISTOGRAM = p -> histogram(p.samples, false);
    private static final Function<GrayPlane, long[]> ROUND_HISTOGRAM = p -> histogram(p.samples, true);
    private static final Function<GrayPlane, int[]> RAW_BINS = p -> rawBins(p.samples);
    private static final Function<GrayPlane, int[]> NORMALISED_BINS = p -> normalisedBins(p.samples);

    private InformationMetrics() {
    }

    /** 256-bin histogram of the samples, each mapped to a bin by floor (vifb) or round (cddfuse). */
    static long[] histogram(double[] img, boolean round) {
        long[] h = new long[256];
        if (round) {
            for (double v : img) {
                h[clampedBin(Math.rint(v))]++;
            }
        } else {
            // For the bins 0..255, truncation and floor pick the same bin (negatives clamp to 0 either way).
            for (double v : img) {
                h[clampedBin(v)]++;
            }
        }
        return h;
    }

    /** (int) v clamped to 0..255; NaN gives 0. */
    private static int clampedBin(double v) {
        int i = (int) v;
        return i < 0 ? 0 : Math.min(i, 255);
    }

    /** Shannon entropy in bits of the 256-bin histogram. */
    public static double entropy(double[] img, boolean round) {
        return entropy(new GrayPlane(img, img.length, 1), round);
    }

    static double entropy(GrayPlane img, boolean round) {
        long[] h = img.derived(round ? ROUND_HISTOGRAM : FLOOR_HISTOGRAM);
        double n = img.pixels();
        double e = 0;
        for (long c : h) {
            if (c > 0) {
                double p = c / n;
                e -= p * Math.log(p) / LN2;
            }
        }
        return e;
    }

    /** Cross entropy (bits) of the source's histogram against the fused one, over bins where both are non-zero. */
    public static double crossEntropy(double[] source, double[] fused) {
        return crossEntropy(new GrayPlane(source, source.length, 1), new GrayPlane(fused, fused.length, 1));
    }

    static double crossEntropy(GrayPlane source, GrayPlane fused) {
        long[] hs = source.derived(FLOOR_HISTOGRAM);
        long[] hf = fused.derived(FLOOR_HISTOGRAM);
        double n = source.pixels();
        double ce = 0;
        for (int k = 0; k < 256; k++) {
            if (hs[k] != 0 && hf[k] != 0) {
                double p1 = hs[k] / n;
                double p2 = hf[k] / n;
                ce += p1 * Math.log(p1 / p2) / LN2;
            }
        }
        return ce;
    }

    /**
     * VIFB's mutual information (nats): each image min-max normalised to 0..1, scaled to 0..255 and
     * rounded (MATLAB int16: half away from zero), 256x256 joint histogram.
     */
    public static double mutualInformationVifb(double[] a, double[] b) {
        return mutualInformationOfBins(normalisedBins(a), normalisedBins(b));
    }

    static double mutualInformationVifb(GrayPlane a, GrayPlane b) {
        return mutualInformationOfBins(a.derived(NORMALISED_BINS), b.derived(NORMALISED_BINS));
    }

    /** Mutual information (nats) of the raw 8-bit values, as scikit-learn's mutual_info_score gives it. */
    public static double mutualInformation(double[] a, double[] b) {
        return mutualInformationOfBins(rawBins(a), rawBins(b));
    }

    static double mutualInformation(GrayPlane a, GrayPlane b) {
        return mutualInformationOfBins(a.derived(RAW_BINS), b.derived(RAW_BINS));
    }

    /** MEFB's {@code normalize1}: min-max to 0..255, rounded (a constant image gives 0). */
    static final Function<GrayPlane, GrayPlane> NORMALISED = p -> {
        int[] bins = p.derived(NORMALISED_BINS);
        double[] d = new double[bins.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = bins[i];
        }
        return new GrayPlane(d, p.width, p.height);
    };

    private static int[] rawBins(double[] img) {
        int[] out = new int[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = clampedBin(Math.rint(img[i]));
        }
        return out;
    }

    private static int[] normalisedBins(double[] img) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : img) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] out = new int[img.length];
        if (max == min) {
            return out;
        }
        double range = max - min;
        for (int i = 0; i < img.length; i++) {
            double v = (img[i] - min) / range * 255;
            out[i] = (int) Math.floor(v + 0.5);
        }
        return out;
    }

    /**
     * MEFB's normalised mutual information (Hossny et al.): every image min-max normalised to
     * 0..255 and rounded, 2 (MI(A,F) / (H(A) + H(F)) + MI(B,F) / (H(B) + H(F))).
     */
    static double nmi(GrayPlane a, GrayPlane b, GrayPlane f) {
        int[] ba = a.derived(NORMALISED_BINS);
        int[] bb = b.derived(NORMALISED_BINS);
        int[] bf = f.derived(NORMALISED_BINS);
        double n = ba.length;
        double ha = entropyOfCounts(counts(ba), n);
        double hb = entropyOfCounts(counts(bb), n);
        double hf = entropyOfCounts(counts(bf), n);
        return 2 * (mutualInformationOfBins(ba, bf) / (ha + hf) + mutualInformationOfBins(bb, bf) / (hb + hf));
    }

    /**
     * Nonlinear correlation information entropy (Wang et al. 2008): the nonlinear correlation
     * coefficients NCC (mutual information in base b = 256, 256 bins) of A, B and F form a 3x3
     * matrix R; Q = 1 + sum_i (l_i / 3) log_b (l_i / 3) over its eigenvalues l_i.
     */
    static double ncie(GrayPlane a, GrayPlane b, GrayPlane f) {
        int[] ba = a.derived(RAW_BINS);
        int[] bb = b.derived(RAW_BINS);
        int[] bf = f.derived(RAW_BINS);
        double lnb = Math.log(256);
        double ab = mutualInformationOfBins(ba, bb) / lnb;
        double af = mutualInformationOfBins(ba, bf) / lnb;
        double bfc = mutualInformationOfBins(bb, bf) / lnb;
        double q = 1;
        for (double l : Spectral.symmetricEigenvalues(new double[] {1, ab, af, ab, 1, bfc, af, bfc, 1}, 3)) {
            double r = l / 3;
            if (r > 0) {
                q += r * Math.log(r) / lnb;
            }
        }
        return q;
    }

    private static long[] counts(int[] bins) {
        long[] h = new long[256];
        for (int v : bins) {
            h[v]++;
        }
        return h;
    }

    private static double mutualInformationOfBins(int[] a, int[] b) {
        long[] joint = new long[256 * 256];
        long[] ha = new long[256];
        long[] hb = new long[256];
        for (int i = 0; i < a.length; i++) {
            joint[a[i] * 256 + b[i]]++;
            ha[a[i]]++;
            hb[b[i]]++;
        }
        double n = a.length;
        return entropyOfCounts(ha, n) + entropyOfCounts(hb, n) - entropyOfCounts(joint, n);
    }

    private static double entropyOfCounts(long[] counts, double n) {
        double e = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = c / n;
                e -= p * Math.log(p);
            }
        }
        return e;
    }
}
