package io.ivfuse.quality;

/** Histogram-based metrics: entropy, cross entropy, mutual information. Gray planes, 8-bit scale. */
public final class InformationMetrics {
    private static final double LN2 = Math.log(2);

    private InformationMetrics() {
    }

    /** 256-bin histogram of the samples, each mapped to a bin by floor (vifb) or round (cddfuse). */
    static long[] histogram(double[] img, boolean round) {
        long[] h = new long[256];
        for (double v : img) {
            h[bin(round ? Math.rint(v) : Math.floor(v))]++;
        }
        return h;
    }

    private static int bin(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Shannon entropy in bits of the 256-bin histogram. */
    public static double entropy(double[] img, boolean round) {
        long[] h = histogram(img, round);
        double n = img.length;
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
        long[] hs = histogram(source, false);
        long[] hf = histogram(fused, false);
        double n = source.length;
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

    /** Mutual information (nats) of the raw 8-bit values, as scikit-learn's mutual_info_score gives it. */
    public static double mutualInformation(double[] a, double[] b) {
        return mutualInformationOfBins(rawBins(a), rawBins(b));
    }

    private static int[] rawBins(double[] img) {
        int[] out = new int[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = bin(Math.rint(img[i]));
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
