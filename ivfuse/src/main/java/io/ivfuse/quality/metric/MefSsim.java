package io.ivfuse.quality.metric;

import io.ivfuse.IvfuseException;
import java.util.Arrays;

/**
 * MEF-SSIM (K. Ma, K. Zeng, Z. Wang, "Perceptual quality assessment for multi-exposure image
 * fusion", IEEE TIP 24(11), 2015), multi-scale, as the MEFB benchmark reports it. Implemented from
 * the paper with MEFB's parameters (see ../shared/data/mef/GOLDEN.md).
 *
 * <p>For each 11x11 patch position ('valid'), the exposures' patches x_k are split into mean
 * (square window), signal strength c_k = ||x_k - mu_k|| and structure s_k = (x_k - mu_k) / c_k.
 * The desired patch has the strongest contrast max c_k and the structure sum w_k s_k normalised,
 * w_k = c_k^p with p = tan(pi R / 2) (capped at 10) from the structural consistency
 * R = ||sum (x_k - mu_k)|| / sum c_k. Its score against the fused patch y is SSIM's
 * contrast-structure term (2 s_xy + C) / (s_x^2 + s_y^2 + C) with Gaussian (11, 1.5) weighted
 * statistics, C = (0.03 * 255)^2; a scale's score is the mean of the map. Between scales the
 * images are averaged over 2x2 (symmetric border) and decimated; the result is
 * prod Q_l^(w_l) over three scales with the MS-SSIM weights normalised.
 *
 * <p>The desired patch is a per-position linear combination of the exposure patches, so every
 * statistic it needs is a combination of windowed first and second moments of the exposures and
 * the fused image: those are filtered once per image and pair, and no patch is ever formed.
 */
public final class MefSsim {
    private static final int WINDOW = 11;
    private static final double[] GAUSS = Filters.gaussian(WINDOW, 1.5);
    private static final double[] BOX = box(WINDOW);
    private static final double C = Math.pow(0.03 * 255, 2);
    private static final double MAX_P = 10;
    private static final double[] SCALE_WEIGHTS = normalised(new double[] {0.0448, 0.2856, 0.3001});

    private MefSsim() {
    }

    /** The scores of every scale (finest first) and their weighted product, the MEF-SSIM. */
    public record Scores(double[] perScale, double value) {
    }

    /** Multi-scale MEF-SSIM of {@code fused} given the exposures (gray planes on the 8-bit scale, one size). */
    public static double mefSsim(double[][] exposures, double[] fused, int w, int h) {
        return scores(exposures, fused, w, h).value();
    }

    public static Scores scores(double[][] exposures, double[] fused, int w, int h) {
        double[] perScale = new double[SCALE_WEIGHTS.length];
        double value = 1;
        double[][] x = exposures.clone();
        double[] y = fused;
        for (int s = 0; s < perScale.length; s++) {
            if (w < WINDOW || h < WINDOW) {
                throw new IvfuseException("MEF-SSIM needs images of at least 41x41 (" + WINDOW + "x" + WINDOW
                        + " at its third scale), got " + (s == 0 ? w + "x" + h : "one that is " + w + "x" + h + " at scale " + (s + 1)));
            }
            perScale[s] = singleScale(x, y, w, h);
            value *= Math.pow(perScale[s], SCALE_WEIGHTS[s]);
            if (s < perScale.length - 1) {
                for (int k = 0; k < x.length; k++) {
                    x[k] = halve(x[k], w, h);
                }
                y = halve(y, w, h);
                w = (w + 1) / 2;
                h = (h + 1) / 2;
            }
        }
        return new Scores(perScale, value);
    }

    /** The mean of the quality map at one scale. */
    static double singleScale(double[][] x, double[] y, int w, int h) {
        int n = x.length;
        GrayPlane[] planes = new GrayPlane[n];
        for (int k = 0; k < n; k++) {
            planes[k] = new GrayPlane(x[k], w, h);
        }
        GrayPlane fused = new GrayPlane(y, w, h);
        // Square-window moments of the exposures (mean, and <x_j - mu_j, x_k - mu_k> / N).
        double[][] boxMean = new double[n][];
        double[][][] boxCross = new double[n][n][];
        // Gaussian-window moments of exposures and fused image.
        double[][] gMean = new double[n][];
        double[][][] gCross = new double[n][n][];
        double[][] gWithFused = new double[n][];
        for (int j = 0; j < n; j++) {
            Filters.WindowStats b = Filters.stats(planes[j], BOX);
            Filters.WindowStats g = Filters.stats(planes[j], GAUSS);
            boxMean[j] = b.mean();
            boxCross[j][j] = b.meanOfSquares();
            gMean[j] = g.mean();
            gCross[j][j] = g.meanOfSquares();
            gWithFused[j] = Filters.validOfProduct(planes[j], fused, GAUSS);
            for (int k = 0; k < j; k++) {
                boxCross[j][k] = Filters.validOfProduct(planes[j], planes[k], BOX);
                boxCross[k][j] = boxCross[j][k];
                gCross[j][k] = Filters.validOfProduct(planes[j], planes[k], GAUSS);
                gCross[k][j] = gCross[j][k];
            }
        }
        Filters.WindowStats gy = Filters.stats(fused, GAUSS);
        double[] muY = gy.mean();
        double[] yy = gy.meanOfSquares();
        int cells = muY.length;
        double patch = WINDOW * WINDOW;
        double[][] inner = new double[n][n];
        double[] strength = new double[n];
        double[] b = new double[n];
        double[] a = new double[n];
        double sum = 0;
        for (int i = 0; i < cells; i++) {
            double strengthSum = 0;
            double maxStrength = 0;
            double total = 0;
            for (int j = 0; j < n; j++) {
                for (int k = 0; k <= j; k++) {
                    double v = patch * (boxCross[j][k][i] - boxMean[j][i] * boxMean[k][i]);
                    inner[j][k] = v;
                    inner[k][j] = v;
                    total += j == k ? v : 2 * v;
                }
                strength[j] = Math.sqrt(Math.max(0, inner[j][j]));
                strengthSum += strength[j];
                maxStrength = Math.max(maxStrength, strength[j]);
            }
            // R <= 1 exactly; rounding can push it just above, where tan turns negative.
            double consistency = strengthSum > 0 ? Math.min(1, Math.sqrt(Math.max(0, total)) / strengthSum) : 0;
            double p = Math.min(Math.tan(Math.PI / 2 * consistency), MAX_P);
            // Desired patch = sum_k a_k (x_k - mu_k): b_k = w_k / c_k, scaled to norm max c_k.
            for (int k = 0; k < n; k++) {
                b[k] = strength[k] > 0 ? Math.pow(strength[k], p - 1) : 0;
            }
            double norm2 = 0;
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    norm2 += b[j] * b[k] * inner[j][k];
                }
            }
            double scale = norm2 > 0 ? maxStrength / Math.sqrt(norm2) : 0;
            for (int k = 0; k < n; k++) {
                a[k] = b[k] * scale;
            }
            double varX = 0;
            double covXY = 0;
            for (int j = 0; j < n; j++) {
                if (a[j] == 0) {
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    varX += a[j] * a[k] * (gCross[j][k][i] - gMean[j][i] * gMean[k][i]);
                }
                covXY += a[j] * (gWithFused[j][i] - gMean[j][i] * muY[i]);
            }
            double varY = yy[i] - muY[i] * muY[i];
            sum += (2 * covXY + C) / (varX + varY + C);
        }
        return sum / cells;
    }

    /** The mean of each 2x2 block starting at even coordinates, the last row/column repeated when odd. */
    static double[] halve(double[] img, int w, int h) {
        int nw = (w + 1) / 2;
        int nh = (h + 1) / 2;
        double[] out = new double[nw * nh];
        for (int y = 0; y < nh; y++) {
            int r0 = 2 * y * w;
            int r1 = Math.min(2 * y + 1, h - 1) * w;
            for (int x = 0; x < nw; x++) {
                int c0 = 2 * x;
                int c1 = Math.min(2 * x + 1, w - 1);
                out[y * nw + x] = (img[r0 + c0] + img[r0 + c1] + img[r1 + c0] + img[r1 + c1]) / 4;
            }
        }
        return out;
    }

    private static double[] box(int n) {
        double[] k = new double[n];
        Arrays.fill(k, 1.0 / n);
        return k;
    }

    private static double[] normalised(double[] w) {
        double s = Arrays.stream(w).sum();
        return Arrays.stream(w).map(v -> v / s).toArray();
    }
}
