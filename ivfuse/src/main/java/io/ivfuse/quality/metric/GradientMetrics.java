package io.ivfuse.quality.metric;

/** No-reference metrics of the fused image alone: SD, SF, AG, EI. Gray planes, row-major. */
public final class GradientMetrics {

    private GradientMetrics() {
    }

    public static double mean(double[] img) {
        double s = 0;
        for (double v : img) {
            s += v;
        }
        return s / img.length;
    }

    /** Population standard deviation. */
    public static double standardDeviation(double[] img) {
        double m = mean(img);
        double s = 0;
        for (double v : img) {
            double d = v - m;
            s += d * d;
        }
        return Math.sqrt(s / img.length);
    }

    /**
     * VIFB's spatial frequency. MATLAB's {@code [m,n] = size(F)} on a colour image folds the channels
     * into the columns, so the channels are laid side by side in one m x 3n image (differences across
     * the seams included) and both sums are divided by m x 3n.
     */
    public static double spatialFrequencyVifb(double[][] channels, int w, int h) {
        double rf = 0;
        double cf = 0;
        for (int y = 0; y < h; y++) {
            double prev = Double.NaN;
            for (double[] c : channels) {
                int row = y * w;
                for (int x = 0; x < w; x++) {
                    double v = c[row + x];
                    if (!Double.isNaN(prev)) {
                        rf += (v - prev) * (v - prev);
                    }
                    prev = v;
                    if (y > 0) {
                        double d = v - c[row - w + x];
                        cf += d * d;
                    }
                }
            }
        }
        double n = (double) h * w * channels.length;
        return Math.sqrt(rf / n + cf / n);
    }

    /** The CDDFuse spatial frequency: sqrt(mean(dx^2) + mean(dy^2)). */
    public static double spatialFrequency(double[] img, int w, int h) {
        double rf = 0;
        double cf = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 1; x < w; x++) {
                double d = img[row + x] - img[row + x - 1];
                rf += d * d;
            }
            if (y > 0) {
                for (int x = 0; x < w; x++) {
                    double d = img[row + x] - img[row - w + x];
                    cf += d * d;
                }
            }
        }
        double mr = w > 1 ? rf / ((double) h * (w - 1)) : 0;
        double mc = h > 1 ? cf / ((double) (h - 1) * w) : 0;
        return Math.sqrt(mr + mc);
    }

    /**
     * Sum of sqrt((gx^2 + gy^2) / 2) with MATLAB {@code gradient} (central differences inside,
     * one-sided at the borders). vifb divides the sum by (M-1)(N-1), cddfuse by MN.
     */
    public static double averageGradientSum(double[] img, int w, int h) {
        double s = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double gx = w < 2 ? 0 : x == 0 ? img[row + 1] - img[row] : x == w - 1 ? img[row + x] - img[row + x - 1]
                        : (img[row + x + 1] - img[row + x - 1]) / 2;
                double gy = h < 2 ? 0 : y == 0 ? img[w + x] - img[x] : y == h - 1 ? img[row + x] - img[row - w + x]
                        : (img[row + w + x] - img[row - w + x]) / 2;
                s += Math.sqrt((gx * gx + gy * gy) / 2);
            }
        }
        return s;
    }

    /** Mean Sobel gradient magnitude, replicate padding (MATLAB imfilter 'replicate'). */
    public static double edgeIntensity(double[] img, int w, int h) {
        return edgeIntensity(new GrayPlane(img, w, h));
    }

    /** The mean of the plane's shared Sobel field magnitude (replicate padding, as imfilter's). */
    static double edgeIntensity(GrayPlane img) {
        double s = 0;
        for (double m : img.derived(EdgeTransferMetrics.SOBEL).magnitude()) {
            s += m;
        }
        return s / img.pixels();
    }
}
