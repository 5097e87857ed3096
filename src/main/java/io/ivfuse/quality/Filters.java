package io.ivfuse.quality;

/** Separable 'valid' correlation and the Gaussian windows of MATLAB's fspecial. */
final class Filters {

    private Filters() {
    }

    /** The normalised 1-D factor of fspecial('gaussian', size, sigma) (the 2-D window is its outer product). */
    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double c = (size - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double x = i - c;
            g[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** 'valid' correlation of a w x h image with the outer product k x k; result (w-n+1) x (h-n+1). */
    static double[] valid(double[] img, int w, int h, double[] k) {
        int n = k.length;
        int ow = w - n + 1;
        int oh = h - n + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            int in = y * w;
            int out = y * ow;
            // Tap-outer loops read and write contiguously, which the JIT vectorises.
            for (int j = 0; j < n; j++) {
                double kj = k[j];
                int src = in + j;
                for (int x = 0; x < ow; x++) {
                    rows[out + x] += kj * img[src + x];
                }
            }
        }
        double[] res = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int j = 0; j < n; j++) {
                double kj = k[j];
                int in = (y + j) * ow;
                int out = y * ow;
                for (int x = 0; x < ow; x++) {
                    res[out + x] += kj * rows[in + x];
                }
            }
        }
        return res;
    }

    static double[] product(double[] a, double[] b) {
        double[] p = new double[a.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = a[i] * b[i];
        }
        return p;
    }
}
