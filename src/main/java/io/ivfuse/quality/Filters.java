package io.ivfuse.quality;

/**
 * Separable 'valid' correlation with symmetric odd-length windows (the Gaussian windows of MATLAB's
 * fspecial), and the windowed statistics built on it. Each output row is filtered down the columns
 * into one line buffer and then along it, so nothing larger than a line is written in between;
 * symmetric taps are folded (one multiply per pair of samples). The inner loops run over
 * contiguous rows so the JIT vectorises them.
 */
final class Filters {

    /** A plane filtered through a window: the local means of x and of x^2, on the 'valid' grid. */
    record WindowStats(double[] mean, double[] meanOfSquares, int width, int height) {
    }

    private enum Input { PLAIN, PRODUCT, PLAIN_AND_SQUARE }

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

    /** 'valid' correlation of the plane with the outer product k x k; (w-n+1) x (h-n+1). */
    static double[] valid(GrayPlane p, double[] k) {
        return filter(p.samples, null, p.width, p.height, k, Input.PLAIN, 1)[0];
    }

    /**
     * Every second sample, in both directions, of {@link #valid}: ((w-n+2)/2) x ((h-n+2)/2), computed
     * only where kept.
     */
    static GrayPlane validDecimated(GrayPlane p, double[] k) {
        int n = k.length;
        return new GrayPlane(filter(p.samples, null, p.width, p.height, k, Input.PLAIN, 2)[0],
                (p.width - n + 2) / 2, (p.height - n + 2) / 2);
    }

    /** 'valid' correlation of the pixelwise product x * y with k x k. */
    static double[] validOfProduct(GrayPlane x, GrayPlane y, double[] k) {
        return filter(x.samples, y.samples, x.width, x.height, k, Input.PRODUCT, 1)[0];
    }

    /** Local means of the plane and of its square through k x k, in one pass. */
    static WindowStats stats(GrayPlane p, double[] k) {
        int n = k.length;
        double[][] both = filter(p.samples, null, p.width, p.height, k, Input.PLAIN_AND_SQUARE, 1);
        return new WindowStats(both[0], both[1], p.width - n + 1, p.height - n + 1);
    }

    /** The filtered input (two outputs for PLAIN_AND_SQUARE), every {@code step}-th row and column. */
    private static double[][] filter(double[] a, double[] b, int w, int h, double[] k, Input input, int step) {
        int n = k.length;
        if (n % 2 == 0 || n > w || n > h) {
            throw new IllegalArgumentException("window of " + n + " on a " + w + "x" + h + " plane");
        }
        int half = n / 2;
        int ow = (w - n + step) / step;
        int oh = (h - n + step) / step;
        boolean two = input == Input.PLAIN_AND_SQUARE;
        double[] line = new double[w];
        double[] line2 = two ? new double[w] : null;
        double[] out = new double[ow * oh];
        double[] out2 = two ? new double[ow * oh] : null;
        for (int r = 0; r < oh; r++) {
            int y = r * step;
            switch (input) {
                case PLAIN -> plainColumns(a, w, y, k, line);
                case PRODUCT -> productColumns(a, b, w, y, k, line);
                case PLAIN_AND_SQUARE -> {
                    plainColumns(a, w, y, k, line);
                    squareColumns(a, w, y, k, line2);
                }
            }
            along(line, k, out, r * ow, ow, step);
            if (two) {
                along(line2, k, out2, r * ow, ow, step);
            }
        }
        return new double[][] {out, out2};
    }

    // Down the columns for output row y: line = sum_j k[j] * in(y + j), the pairs j and n-1-j folded.

    private static void plainColumns(double[] a, int w, int y, double[] k, double[] line) {
        int n = k.length;
        int half = n / 2;
        double kc = k[half];
        int mid = (y + half) * w;
        for (int x = 0; x < w; x++) {
            line[x] = kc * a[mid + x];
        }
        for (int j = 0; j < half; j++) {
            double kj = k[j];
            int top = (y + j) * w;
            int bottom = (y + n - 1 - j) * w;
            for (int x = 0; x < w; x++) {
                line[x] += kj * (a[top + x] + a[bottom + x]);
            }
        }
    }

    private static void squareColumns(double[] a, int w, int y, double[] k, double[] line) {
        int n = k.length;
        int half = n / 2;
        double kc = k[half];
        int mid = (y + half) * w;
        for (int x = 0; x < w; x++) {
            line[x] = kc * (a[mid + x] * a[mid + x]);
        }
        for (int j = 0; j < half; j++) {
            double kj = k[j];
            int top = (y + j) * w;
            int bottom = (y + n - 1 - j) * w;
            for (int x = 0; x < w; x++) {
                line[x] += kj * (a[top + x] * a[top + x] + a[bottom + x] * a[bottom + x]);
            }
        }
    }

    private static void productColumns(double[] a, double[] b, int w, int y, double[] k, double[] line) {
        int n = k.length;
        int half = n / 2;
        double kc = k[half];
        int mid = (y + half) * w;
        for (int x = 0; x < w; x++) {
            line[x] = kc * (a[mid + x] * b[mid + x]);
        }
        for (int j = 0; j < half; j++) {
            double kj = k[j];
            int top = (y + j) * w;
            int bottom = (y + n - 1 - j) * w;
            for (int x = 0; x < w; x++) {
                line[x] += kj * (a[top + x] * b[top + x] + a[bottom + x] * b[bottom + x]);
            }
        }
    }

    /** Along the line: out[o + x] = sum_j k[j] * line[step * x + j] for x < ow. */
    private static void along(double[] line, double[] k, double[] out, int o, int ow, int step) {
        int n = k.length;
        int half = n / 2;
        double kc = k[half];
        if (step == 1) {
            for (int x = 0; x < ow; x++) {
                out[o + x] = kc * line[x + half];
            }
            for (int j = 0; j < half; j++) {
                double kj = k[j];
                int right = n - 1 - j;
                for (int x = 0; x < ow; x++) {
                    out[o + x] += kj * (line[x + j] + line[x + right]);
                }
            }
            return;
        }
        for (int x = 0; x < ow; x++) {
            int s = step * x;
            double v = kc * line[s + half];
            for (int j = 0; j < half; j++) {
                v += k[j] * (line[s + j] + line[s + n - 1 - j]);
            }
            out[o + x] = v;
        }
    }
}
