package io.ivfuse.quality.metric;

import java.util.function.Function;

/** SSIM in its two reference forms, and MS-SSIM. Gray planes on the 8-bit scale. */
public final class StructuralSimilarity {
    private static final double[] WANG_WINDOW = Filters.gaussian(11, 1.5);
    private static final double[] MS_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    private static final Function<GrayPlane, Filters.WindowStats> WANG_STATS = p -> Filters.stats(p, WANG_WINDOW);
    private static final Function<GrayPlane, GrayPlane> HALVE = StructuralSimilarity::halve;
    private static final Function<GrayPlane, SkimageStats> SKIMAGE_STATS = StructuralSimilarity::skimageStats;

    private StructuralSimilarity() {
    }

    /**
     * Wang et al. (2004) as in VIFB: 11x11 Gaussian window (sigma 1.5), 'valid' region,
     * C1 = (0.01 L)^2, C2 = (0.03 L)^2, L = 255; the mean of the SSIM map.
     */
    public static double ssimWang(double[] x, double[] y, int w, int h) {
        return ssimWang(new GrayPlane(x, w, h), new GrayPlane(y, w, h));
    }

    static double ssimWang(GrayPlane x, GrayPlane y) {
        return wangMaps(x, y)[0];
    }

    /** {mean SSIM, mean contrast-structure term} over the valid region. */
    private static double[] wangMaps(GrayPlane x, GrayPlane y) {
        if (x.width < WANG_WINDOW.length || x.height < WANG_WINDOW.length) {
            throw new IllegalArgumentException("SSIM needs images of at least 11x11, got " + x.width + "x" + x.height);
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        Filters.WindowStats sx = x.derived(WANG_STATS);
        Filters.WindowStats sy = y.derived(WANG_STATS);
        double[] ux = sx.mean();
        double[] uy = sy.mean();
        double[] uxx = sx.meanOfSquares();
        double[] uyy = sy.meanOfSquares();
        double[] uxy = Filters.validOfProduct(x, y, WANG_WINDOW);
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
        return msSsim(new GrayPlane(x, w, h), new GrayPlane(y, w, h));
    }

    static double msSsim(GrayPlane x, GrayPlane y) {
        double result = 1;
        int scales = 0;
        while (scales < 5 && (x.width >> scales) >= 11 && (x.height >> scales) >= 11) {
            scales++;
        }
        if (scales == 0) {
            throw new IllegalArgumentException("MS-SSIM needs images of at least 11x11, got " + x.width + "x" + x.height);
        }
        double weightSum = 0;
        for (int s = 0; s < scales; s++) {
            weightSum += MS_WEIGHTS[s];
        }
        for (int s = 0; s < scales; s++) {
            double[] m = wangMaps(x, y);
            double exponent = MS_WEIGHTS[s] / weightSum;
            double term = s == scales - 1 ? m[0] : m[1];
            result *= Math.signum(term) * Math.pow(Math.abs(term), exponent);
            if (s < scales - 1) {
                x = x.derived(HALVE);
                y = y.derived(HALVE);
            }
        }
        return result;
    }

    private static GrayPlane halve(GrayPlane p) {
        int w = p.width;
        int nw = w / 2;
        int nh = p.height / 2;
        double[] img = p.samples;
        double[] out = new double[nw * nh];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int i = 2 * y * w + 2 * x;
                out[y * nw + x] = (img[i] + img[i + 1] + img[i + w] + img[i + w + 1]) / 4;
            }
        }
        return new GrayPlane(out, nw, nh);
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
        return ssimSkimage(new GrayPlane(im1, w, h), new GrayPlane(im2, w, h));
    }

    private static final int SK_SIZE = 7;

    /** A plane as float32 and its 7x7 uniform means of x and x^2, as scikit-image computes them. */
    private record SkimageStats(float[] x, float[] ux, float[] uxx) {
    }

    private static SkimageStats skimageStats(GrayPlane p) {
        float[] x = toFloat(p.samples);
        return new SkimageStats(x, uniform(x, p.width, p.height, SK_SIZE), uniform(mul(x, x), p.width, p.height, SK_SIZE));
    }

    static double ssimSkimage(GrayPlane im1, GrayPlane im2) {
        final int pad = SK_SIZE / 2;
        int w = im1.width;
        int h = im1.height;
        if (w < SK_SIZE || h < SK_SIZE) {
            throw new IllegalArgumentException("SSIM needs images of at least 7x7, got " + w + "x" + h);
        }
        SkimageStats s1 = im1.derived(SKIMAGE_STATS);
        SkimageStats s2 = im2.derived(SKIMAGE_STATS);
        float[] ux = s1.ux();
        float[] uy = s2.ux();
        float[] uxx = s1.uxx();
        float[] uyy = s2.uxx();
        float[] uxy = uniform(mul(s1.x(), s2.x()), w, h, SK_SIZE);
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

    /**
     * scipy.ndimage.uniform_filter (mode 'reflect'), axis 0 then axis 1, float32 storage between.
     * scipy runs a running mean along each line in double: the first value is the sum of the
     * reflected window divided by size, each next adds (entering - leaving) / size; every column
     * (then every row) here does exactly those operations in that order, so the float32 results
     * are scipy's bit for bit. Columns advance together, row by row, to read memory contiguously.
     */
    private static float[] uniform(float[] img, int w, int h, int size) {
        int half = size / 2;
        float[] tmp = new float[img.length];
        double[] acc = new double[w];
        int[] rows = reflectedIndices(h, half);
        for (int j = 0; j < size; j++) {
            int src = rows[j] * w;
            for (int x = 0; x < w; x++) {
                acc[x] += img[src + x];
            }
        }
        for (int x = 0; x < w; x++) {
            acc[x] /= size;
            tmp[x] = (float) acc[x];
        }
        for (int y = 1; y < h; y++) {
            int in = rows[y + 2 * half] * w;
            int leave = rows[y - 1] * w;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                acc[x] += ((double) img[in + x] - img[leave + x]) / size;
                tmp[o + x] = (float) acc[x];
            }
        }
        float[] out = new float[img.length];
        int[] cols = reflectedIndices(w, half);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            double a = 0;
            for (int j = 0; j < size; j++) {
                a += tmp[row + cols[j]];
            }
            a /= size;
            out[row] = (float) a;
            for (int x = 1; x < w; x++) {
                a += ((double) tmp[row + cols[x + 2 * half]] - tmp[row + cols[x - 1]]) / size;
                out[row + x] = (float) a;
            }
        }
        return out;
    }

    /** idx[i] = the sample at position i - half of a line of n under scipy's 'reflect' (half-sample symmetric). */
    private static int[] reflectedIndices(int n, int half) {
        int[] idx = new int[n + 2 * half];
        for (int i = 0; i < idx.length; i++) {
            int j = i - half;
            while (j < 0 || j >= n) {
                j = j < 0 ? -j - 1 : 2 * n - j - 1;
            }
            idx[i] = j;
        }
        return idx;
    }
}
