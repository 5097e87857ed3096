package io.ivfuse.quality.metric;

/** Metrics comparing the fused image with one or both sources pixel by pixel. Gray planes. */
public final class ReferenceMetrics {

    private ReferenceMetrics() {
    }

    public static double sumSquaredError(double[] x, double[] f) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - f[i];
            s += d * d;
        }
        return s;
    }

    /** VIFB's per-source "mse": sqrt(SSE) / (MN) (not a mean squared error). */
    public static double vifbRootError(double[] x, double[] f) {
        return Math.sqrt(sumSquaredError(x, f)) / x.length;
    }

    /** VIFB PSNR: 20 log10(255 / sqrt(MES)), MES the mean of the two sources' {@link #vifbRootError}. */
    public static double psnrVifb(double[] a, double[] b, double[] f) {
        double mes = (vifbRootError(a, f) + vifbRootError(b, f)) / 2;
        return 20 * Math.log10(255 / Math.sqrt(mes));
    }

    /** VIFB RMSE: the mean of the two sources' {@link #vifbRootError}. */
    public static double rmseVifb(double[] a, double[] b, double[] f) {
        return (vifbRootError(a, f) + vifbRootError(b, f)) / 2;
    }

    /** Mean of the two sources' mean squared errors. */
    public static double mse(double[] a, double[] b, double[] f) {
        return (sumSquaredError(a, f) / a.length + sumSquaredError(b, f) / b.length) / 2;
    }

    /** CDDFuse PSNR: 10 log10(max(F)^2 / MSE). */
    public static double psnr(double[] a, double[] b, double[] f) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            max = Math.max(max, v);
        }
        return 10 * Math.log10(max * max / mse(a, b, f));
    }

    /** Pearson correlation; 0 when either image is constant. */
    public static double correlation(double[] x, double[] y) {
        double mx = GradientMetrics.mean(x);
        double my = GradientMetrics.mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        double den = Math.sqrt(sxx * syy);
        return den == 0 ? 0 : sxy / den;
    }

    /** (r(A,F) + r(B,F)) / 2. */
    public static double cc(double[] a, double[] b, double[] f) {
        return (correlation(a, f) + correlation(b, f)) / 2;
    }

    /** Sum of the correlations of differences: r(A, F - B) + r(B, F - A). */
    public static double scd(double[] a, double[] b, double[] f) {
        double[] fb = new double[f.length];
        double[] fa = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            fb[i] = f[i] - b[i];
            fa[i] = f[i] - a[i];
        }
        return correlation(a, fb) + correlation(b, fa);
    }
}
