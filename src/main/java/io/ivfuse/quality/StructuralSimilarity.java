package io.ivfuse.quality;

/** SSIM in its two reference forms, and MS-SSIM. Gray planes on the 8-bit scale. */
public final class StructuralSimilarity {
    private static final double[] WANG_WINDOW = Filters.gaussian(11, 1.5);
    private static final double[] MS_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

    private StructuralSimilarity() {
    }

    /**
     * Wang et al. (2004) as in VIFB: 11x11 Gaussian window (sigma 1.5), 'valid' region,
     * C1 = (0.01 L)^2, C2 = (0.03 L)^2, L = 255; the mean of the SSIM map.
     */
    public static double ssimWang(double[] x, double[] y, int w, int h) {
        return wangMaps(x, y, w, h, false)[0];
    }

    /** {mean SSIM, mean contrast-structure term} over the valid region. */
    private static double[] wangMaps(double[] x, double[] y, int w, int h, boolean alsoCs) {
        double[] k = WANG_WINDOW;
        if (w < k.length || h < k.length) {
            throw new IllegalArgumentException("SSIM needs images of at least 11x11, got " + w + "x" + h);
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double[] ux = Filters.valid(x, w, h, k);
        double[] uy = Filters.valid(y, w, h, k);
        double[] uxx = Filters.valid(Filters.product(x, x), w, h, k);
        double[] uyy = Filters.valid(Filters.product(y, y), w, h, k);
        double[] uxy = Filters.valid(Filters.product(x, y), w, h, k);
        double sum = 0;
        double csSum = 0;
        for (int i = 0; i < ux.length; i++) {
            double ax = ux[i];
            double ay = uy[i];
            double axy = ax * ay;
            double sxx = uxx[i] - ax * ax;
            double syy = uyy[i] - ay * ay;
            double sxy = uxy[i] - axy;
            double cs = (2 * sxy + c2) / (sxx + syy + c2);
            sum += ((2 * axy + c1) * (2 * sxy + c2)) / ((ax * ax + ay * ay + c1) * (sxx + syy + c2));
            csSum += cs;
        }
        return new double[] {sum / ux.length, csSum / ux.length};
    }

    /**
     * Multi-scale SSIM (Wang, Simoncelli and Bovik 2003): five scales, 2x2 mean downsampling, the
     * published exponents; contrast-structure terms at the first four scales, full SSIM at the last.
     * Images smaller than 11 x 16 at the first scale use as many scales as fit.
     */
    public static double msSsim(double[] x, double[] y, int w, int h) {
        double result = 1;
        int scales = 0;
        while (scales < 5 && (w >> scales) >= 11 && (h >> scales) >= 11) {
            scales++;
        }
        if (scales == 0) {
            throw new IllegalArgumentException("MS-SSIM needs images of at least 11x11, got " + w + "x" + h);
        }
        double weightSum = 0;
        for (int s = 0; s < scales; s++) {
            weightSum += MS_WEIGHTS[s];
        }
        for (int s = 0; s < scales; s++) {
            double[] m = wangMaps(x, y, w, h, true);
            double exponent = MS_WEIGHTS[s] / weightSum;
            double term = s == scales - 1 ? m[0] : m[1];
            result *= Math.signum(term) * Math.pow(Math.abs(term), exponent);
            if (s < scales - 1) {
                int nw = w / 2;
                int nh = h / 2;
                x = halve(x, w, nw, nh);
                y = halve(y, w, nw, nh);
                w = nw;
                h = nh;
            }
        }
        return result;
    }

    private static double[] halve(double[] img, int w, int nw, int nh) {
        double[] out = new double[nw * nh];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int i = 2 * y * w + 2 * x;
                out[y * nw + x] = (img[i] + img[i + 1] + img[i + w] + img[i + w + 1]) / 4;
            }
        }
        return out;
    }

    /**
     * scikit-image 0.19 {@code structural_similarity(F, X)} with its defaults on float32 images and no
     * data_range, as the CDDFuse evaluator calls it: 7x7 uniform window, sample covariance (49/48),
     * data range 2 (so C1 = 0.0004, C2 = 0.0036), a 3-pixel border cropped. The reference computes in
     * float32 and the tiny constants make flat regions sensitive to its rounding, so this emulates
     * the float32 arithmetic step by step (scipy's uniform filter accumulates in double and stores
     * float32 after each axis).
     */
    public static double ssimSkimage(double[] im1, double[] im2, int w, int h) {
        final int size = 7;
        final int pad = 3;
        if (w < size || h < size) {
            throw new IllegalArgumentException("SSIM needs images of at least 7x7, got " + w + "x" + h);
        }
        float[] x = toFloat(im1);
        float[] y = toFloat(im2);
        float[] ux = uniform(x, w, h, size);
        float[] uy = uniform(y, w, h, size);
        float[] uxx = uniform(mul(x, x), w, h, size);
        float[] uyy = uniform(mul(y, y), w, h, size);
        float[] uxy = uniform(mul(x, y), w, h, size);
        final float covNorm = (float) (49.0 / 48.0);
        final float c1 = (float) Math.pow(0.01 * 2, 2);
        final float c2 = (float) Math.pow(0.03 * 2, 2);
        double sum = 0;
        for (int r = pad; r < h - pad; r++) {
            for (int c = pad; c < w - pad; c++) {
                int i = r * w + c;
                float mx = ux[i];
                float my = uy[i];
                float vx = covNorm * (uxx[i] - mx * mx);
                float vy = covNorm * (uyy[i] - my * my);
                float vxy = covNorm * (uxy[i] - mx * my);
                float a1 = 2 * mx * my + c1;
                float a2 = 2 * vxy + c2;
                float b1 = mx * mx + my * my + c1;
                float b2 = vx + vy + c2;
                float d = b1 * b2;
                float s = (a1 * a2) / d;
                sum += s;
            }
        }
        return sum / ((double) (h - 2 * pad) * (w - 2 * pad));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static float[] mul(float[] a, float[] b) {
        float[] p = new float[a.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = a[i] * b[i];
        }
        return p;
    }

    /** scipy.ndimage.uniform_filter (mode 'reflect'), axis 0 then axis 1, float32 storage between. */
    private static float[] uniform(float[] img, int w, int h, int size) {
        float[] tmp = new float[img.length];
        double[] line = new double[Math.max(w, h) + size];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = img[y * w + x];
            }
            filterLine(line, h, size, tmp, x, w);
        }
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                line[x] = tmp[y * w + x];
            }
            filterLine(line, w, size, out, y * w, 1);
        }
        return out;
    }

    /** Running mean over a reflected line, written as float32 at out[offset + i * step]. */
    private static void filterLine(double[] line, int n, int size, float[] out, int offset, int step) {
        int half = size / 2;
        double tmp = 0;
        for (int j = -half; j <= half; j++) {
            tmp += reflect(line, n, j);
        }
        tmp /= size;
        out[offset] = (float) tmp;
        for (int i = 1; i < n; i++) {
            tmp += (reflect(line, n, i + half) - reflect(line, n, i - half - 1)) / size;
            out[offset + i * step] = (float) tmp;
        }
    }

    private static double reflect(double[] line, int n, int i) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - i - 1;
        }
        return line[i];
    }
}
