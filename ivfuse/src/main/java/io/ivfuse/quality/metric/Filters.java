package io.ivfuse.quality.metric;

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

    /**
     * Every second sample, in both directions, of the 'valid' correlation of the plane with k x k:
     * ((w-n+2)/2) x ((h-n+2)/2), computed only where kept.
     */
    static GrayPlane validDecimated(GrayPlane p, double[] k) {
        int n = k.length;
        return new GrayPlane(filter(p.samples, null, p.width, p.height, k, Input.PLAIN, 2)[0],
                (p.width - n + 2) / 2, (p.height - n + 2) / 2);
    }

    /** 'valid' correlation of the plane with k x k. */
    static double[] valid(GrayPlane p, double[] k) {
        return filter(p.samples, null, p.width, p.height, k, Input.PLAIN, 1)[0];
    }

    /** 'same' correlation with k x k and zero padding (MATLAB filter2 'same'). */
    static double[] sameZeroPadded(GrayPlane p, double[] k) {
        int half = k.length / 2;
        int pw = p.width + 2 * half;
        double[] padded = new double[pw * (p.height + 2 * half)];
        for (int y = 0; y < p.height; y++) {
            System.arraycopy(p.samples, y * p.width, padded, (y + half) * pw + half, p.width);
        }
        return valid(new GrayPlane(padded, pw, p.height + 2 * half), k);
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
        int ow = (w - n + step) / step;
        int oh = (h - n + step) / step;
        boolean two = input == Input.PLAIN_AND_SQUARE;
        double[] line = new double[w];
        // PLAIN (only the small decimated prefilter) shares the square pass and drops the squares.
        double[] line2 = input == Input.PRODUCT ? null : new double[w];
        double[] out = new double[ow * oh];
        double[] out2 = two ? new double[ow * oh] : null;
        for (int r = 0; r < oh; r++) {
            int y = r * step;
            switch (input) {
                case PRODUCT -> productColumns(a, b, w, y, k, line);
                case PLAIN, PLAIN_AND_SQUARE -> plainAndSquareColumns(a, w, y, k, line, line2);
            }
            along(line, k, out, r * ow, ow, step);
            if (two) {
                along(line2, k, out2, r * ow, ow, step);
            }
        }
        return new double[][] {out, out2};
    }

    /*
     * Down the columns for output row y: line = sum_j k[j] * in(y + j), the taps j and n-1-j folded
     * into one multiply, and two such pairs per pass over the line (half the loads and stores of
     * the line). An odd number of pairs starts with one pair alone.
     */

    /** in = a * b. */
    private static void productColumns(double[] a, double[] b, int w, int y, double[] k, double[] line) {
        int half = k.length / 2;
        double kc = k[half];
        int mid = (y + half) * w;
        int j = half % 2;
        if (j == 1) {
            TwoPairs outer = TwoPairs.at(k, y, w, 0);
            for (int x = 0; x < w; x++) {
                line[x] = kc * (a[mid + x] * b[mid + x])
                        + outer.k0 * (a[outer.top0 + x] * b[outer.top0 + x] + a[outer.bottom0 + x] * b[outer.bottom0 + x]);
            }
        } else {
            for (int x = 0; x < w; x++) {
                line[x] = kc * (a[mid + x] * b[mid + x]);
            }
        }
        for (; j < half; j += 2) {
            TwoPairs tp = TwoPairs.at(k, y, w, j);
            for (int x = 0; x < w; x++) {
                line[x] += tp.k0 * (a[tp.top0 + x] * b[tp.top0 + x] + a[tp.bottom0 + x] * b[tp.bottom0 + x])
                        + tp.k1 * (a[tp.top1 + x] * b[tp.top1 + x] + a[tp.bottom1 + x] * b[tp.bottom1 + x]);
            }
        }
    }

    /** line = the column sums of a, squares = those of a^2, in one pass over a. */
    private static void plainAndSquareColumns(double[] a, int w, int y, double[] k, double[] line, double[] squares) {
        int half = k.length / 2;
        int mid = (y + half) * w;
        double kc = k[half];
        if (half % 2 == 1) {
            TwoPairs outer = TwoPairs.at(k, y, w, 0);
            for (int x = 0; x < w; x++) {
                double m = a[mid + x];
                double t = a[outer.top0 + x];
                double u = a[outer.bottom0 + x];
                line[x] = kc * m + outer.k0 * (t + u);
                squares[x] = kc * (m * m) + outer.k0 * (t * t + u * u);
            }
        } else {
            for (int x = 0; x < w; x++) {
                double m = a[mid + x];
                line[x] = kc * m;
                squares[x] = kc * (m * m);
            }
        }
        for (int j = half % 2; j < half; j += 2) {
            TwoPairs tp = TwoPairs.at(k, y, w, j);
            for (int x = 0; x < w; x++) {
                double p = a[tp.top0 + x];
                double q = a[tp.bottom0 + x];
                double r = a[tp.top1 + x];
                double s = a[tp.bottom1 + x];
                line[x] += tp.k0 * (p + q) + tp.k1 * (r + s);
                squares[x] += tp.k0 * (p * p + q * q) + tp.k1 * (r * r + s * s);
            }
        }
    }

    /** Taps j and j+1 with the row offsets of their pairs (rows y + j, y + j + 1 and their mirrors). */
    private record TwoPairs(double k0, double k1, int top0, int top1, int bottom0, int bottom1) {
        static TwoPairs at(double[] k, int y, int w, int j) {
            int top = (y + j) * w;
            int bottom = (y + k.length - 1 - j) * w;
            return new TwoPairs(k[j], k[j + 1], top, top + w, bottom, bottom - w);
        }
    }

    /** Along the line: out[o + x] = sum_j k[j] * line[step * x + j] for x < ow, pairs folded as above. */
    private static void along(double[] line, double[] k, double[] out, int o, int ow, int step) {
        int n = k.length;
        int half = n / 2;
        double kc = k[half];
        if (step == 1) {
            int j = half % 2;
            if (j == 1) {
                double k0 = k[0];
                for (int x = 0; x < ow; x++) {
                    out[o + x] = kc * line[x + half] + k0 * (line[x] + line[x + n - 1]);
                }
            } else {
                for (int x = 0; x < ow; x++) {
                    out[o + x] = kc * line[x + half];
                }
            }
            if ((half - j) % 4 == 2) {
                double k0 = k[j];
                double k1 = k[j + 1];
                int j1 = j + 1;
                int r0 = n - 1 - j;
                int r1 = r0 - 1;
                for (int x = 0; x < ow; x++) {
                    out[o + x] += k0 * (line[x + j] + line[x + r0]) + k1 * (line[x + j1] + line[x + r1]);
                }
                j += 2;
            }
            // The line is short and stays in L1: four pairs per pass over the output.
            for (; j < half; j += 4) {
                double k0 = k[j];
                double k1 = k[j + 1];
                double k2 = k[j + 2];
                double k3 = k[j + 3];
                int r0 = n - 1 - j;
                for (int x = 0; x < ow; x++) {
                    int l = x + j;
                    int r = x + r0;
                    out[o + x] += (k0 * (line[l] + line[r]) + k1 * (line[l + 1] + line[r - 1]))
                            + (k2 * (line[l + 2] + line[r - 2]) + k3 * (line[l + 3] + line[r - 3]));
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
