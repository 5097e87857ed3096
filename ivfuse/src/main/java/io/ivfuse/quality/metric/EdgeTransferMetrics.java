package io.ivfuse.quality.metric;

import java.util.function.Function;

/**
 * Gradient-based edge transfer metrics: Qabf (Xydeas and Petrovic) and Nabf (Shreyamsha Kumar's
 * fusion-artifact measure), on gray planes on the 8-bit scale.
 *
 * <p>Both take the Sobel response of each image, with different padding (Qabf zero, Nabf mirror,
 * which for a one-pixel border is replicate) and sign conventions, so the responses differ only on
 * the border: each plane's {@link SobelField} (replicate) and its arc tangents are derived once and
 * shared by Qabf, Nabf and edge intensity; Qabf recomputes just its border.
 */
public final class EdgeTransferMetrics {
    private static final double HALF_PI = Math.PI / 2;

    static final Function<GrayPlane, SobelField> SOBEL = EdgeTransferMetrics::sobel;
    /** atan(gy / gx) of the plane's {@link SobelField}, 0 where both are 0 (Nabf's orientation). */
    private static final Function<GrayPlane, double[]> ANGLE = EdgeTransferMetrics::angle;
    private static final Function<GrayPlane, Edges> QABF_EDGES = EdgeTransferMetrics::qabfEdges;
    private static final Function<GrayPlane, double[]> NABF_WEIGHTS = EdgeTransferMetrics::nabfWeights;

    private EdgeTransferMetrics() {
    }

    /**
     * Sobel with replicate padding, unscaled: gx = right column - left column, gy = bottom row - top
     * row (weights 1 2 1), and sqrt(gx^2 + gy^2).
     */
    record SobelField(double[] gx, double[] gy, double[] magnitude) {
    }

    /** Gradient strength and orientation as one metric defines them. */
    private record Edges(double[] strength, double[] angle) {
    }

    /**
     * Qabf as in both reference codes: Sobel by MATLAB conv2 'same' (zero padding), atan(y/x) with
     * pi/2 where x == 0, the G == gF quirk where gA == gF.
     */
    public static double qabf(double[] a, double[] b, double[] f, int w, int h) {
        return qabf(new GrayPlane(a, w, h), new GrayPlane(b, w, h), new GrayPlane(f, w, h));
    }

    static double qabf(GrayPlane a, GrayPlane b, GrayPlane f) {
        Edges ea = a.derived(QABF_EDGES);
        Edges eb = b.derived(QABF_EDGES);
        Edges ef = f.derived(QABF_EDGES);
        double[] sa = ea.strength;
        double[] sb = eb.strength;
        double[] sf = ef.strength;
        double[] aa = ea.angle;
        double[] ab = eb.angle;
        double[] af = ef.angle;
        double num = 0;
        double den = 0;
        for (int i = 0; i < sa.length; i++) {
            double ga = sa[i];
            double gb = sb[i];
            // A source without gradient adds exactly 0 (the transfer is finite): skip its two exp calls.
            num += (ga == 0 ? 0 : qabfTransfer(ga, aa[i], sf[i], af[i]) * ga)
                    + (gb == 0 ? 0 : qabfTransfer(gb, ab[i], sf[i], af[i]) * gb);
            den += ga + gb;
        }
        return num / den;
    }

    /** Sobel gradient magnitude by MATLAB conv2/filter2 'same' (zero padding), shared with Qabf. */
    static double[] zeroPaddedSobelMagnitude(GrayPlane p) {
        return p.derived(QABF_EDGES).strength;
    }

    private static double qabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx > gf ? gf / gx : gx == gf ? gf : gx / gf;
        double orient = 1 - Math.abs(ax - af) / HALF_PI;
        // Qg Qa = (Tg / (1 + e^(kg (G - Dg)))) (Ta / (1 + e^(ka (A - Da)))), with one division.
        return (0.9994 * 0.9879) / ((1 + Math.exp(-15 * (g - 0.5))) * (1 + Math.exp(-22 * (orient - 0.8))));
    }

    /**
     * conv2 'same' with zero padding of x kernel [-1 0 1; -2 0 2; -1 0 1] and y kernel [1 2 1; 0 0 0;
     * -1 -2 -1] (conv2 flips them): sx = -gx and sy = gy of the replicate field inside the border,
     * so strength is its magnitude and atan(sy/sx) = -atan(gy/gx) there.
     */
    private static Edges qabfEdges(GrayPlane p) {
        SobelField field = p.derived(SOBEL);
        double[] angle = p.derived(ANGLE);
        double[] gx = field.gx;
        int w = p.width;
        int h = p.height;
        double[] g = field.magnitude.clone();
        double[] ang = new double[g.length];
        for (int i = 0; i < ang.length; i++) {
            ang[i] = gx[i] == 0 ? HALF_PI : -angle[i];
        }
        double[] img = p.samples;
        for (int y = 0; y < h; y++) {
            boolean edgeRow = y == 0 || y == h - 1;
            for (int x = 0; x < w; x += edgeRow || x == w - 1 ? 1 : w - 1) {
                double l = zeroPadded(img, w, h, x - 1, y - 1) + 2 * zeroPadded(img, w, h, x - 1, y) + zeroPadded(img, w, h, x - 1, y + 1);
                double r = zeroPadded(img, w, h, x + 1, y - 1) + 2 * zeroPadded(img, w, h, x + 1, y) + zeroPadded(img, w, h, x + 1, y + 1);
                double u = zeroPadded(img, w, h, x - 1, y - 1) + 2 * zeroPadded(img, w, h, x, y - 1) + zeroPadded(img, w, h, x + 1, y - 1);
                double d = zeroPadded(img, w, h, x - 1, y + 1) + 2 * zeroPadded(img, w, h, x, y + 1) + zeroPadded(img, w, h, x + 1, y + 1);
                double sx = l - r;
                double sy = d - u;
                int i = y * w + x;
                g[i] = Math.sqrt(sx * sx + sy * sy);
                ang[i] = sx == 0 ? HALF_PI : Atan.atan(sy / sx);
            }
        }
        return new Edges(g, ang);
    }

    private static double zeroPadded(double[] img, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : img[y * w + x];
    }

    private static SobelField sobel(GrayPlane plane) {
        int w = plane.width;
        int h = plane.height;
        int pw = w + 2;
        double[] p = replicatePadded(plane.samples, w, h);
        int n = plane.pixels();
        double[] gx = new double[n];
        double[] gy = new double[n];
        double[] mag = new double[n];
        for (int y = 0; y < h; y++) {
            int up = y * pw;
            int mid = up + pw;
            int down = mid + pw;
            int o = y * w;
            for (int x = 0; x < w; x++) {
                double dx = (p[up + x + 2] + 2 * p[mid + x + 2] + p[down + x + 2]) - (p[up + x] + 2 * p[mid + x] + p[down + x]);
                double dy = (p[down + x] + 2 * p[down + x + 1] + p[down + x + 2]) - (p[up + x] + 2 * p[up + x + 1] + p[up + x + 2]);
                gx[o + x] = dx;
                gy[o + x] = dy;
                mag[o + x] = Math.sqrt(dx * dx + dy * dy);
            }
        }
        return new SobelField(gx, gy, mag);
    }

    private static double[] angle(GrayPlane p) {
        SobelField field = p.derived(SOBEL);
        double[] gx = field.gx;
        double[] gy = field.gy;
        double[] ang = new double[gx.length];
        for (int i = 0; i < ang.length; i++) {
            ang[i] = gx[i] == 0 && gy[i] == 0 ? 0 : Atan.atan(gy[i] / gx[i]);
        }
        return ang;
    }

    /** The image with a one-pixel replicated border. */
    private static double[] replicatePadded(double[] img, int w, int h) {
        int pw = w + 2;
        double[] p = new double[pw * (h + 2)];
        for (int y = -1; y <= h; y++) {
            int sy = y < 0 ? 0 : y >= h ? h - 1 : y;
            int row = (y + 1) * pw;
            System.arraycopy(img, sy * w, p, row + 1, w);
            p[row] = img[sy * w];
            p[row + w + 1] = img[sy * w + w - 1];
        }
        return p;
    }

    /**
     * Nabf, the modified fusion-artifact measure of Shreyamsha Kumar: Sobel / 8 with mirror
     * extension, weights |g|^1.5 where |g| >= 2 (else 0.001), artifacts counted where the fused
     * gradient exceeds both sources'. Not checked against an external value (none is available).
     */
    public static double nabf(double[] a, double[] b, double[] f, int w, int h) {
        return nabf(new GrayPlane(a, w, h), new GrayPlane(b, w, h), new GrayPlane(f, w, h));
    }

    static double nabf(GrayPlane a, GrayPlane b, GrayPlane f) {
        // Nabf's gradient is the field / 8: exact scaling by a power of two, and the same angles.
        double[] ma = a.derived(SOBEL).magnitude;
        double[] mb = b.derived(SOBEL).magnitude;
        double[] mf = f.derived(SOBEL).magnitude;
        double[] angA = a.derived(ANGLE);
        double[] angB = b.derived(ANGLE);
        double[] angF = f.derived(ANGLE);
        double[] weightA = a.derived(NABF_WEIGHTS);
        double[] weightB = b.derived(NABF_WEIGHTS);
        double wtSum = 0;
        double artifacts = 0;
        for (int i = 0; i < ma.length; i++) {
            double ga = ma[i] * 0.125;
            double gb = mb[i] * 0.125;
            double gf = mf[i] * 0.125;
            double wa = weightA[i];
            double wb = weightB[i];
            wtSum += wa + wb;
            if (gf > ga && gf > gb) {
                double qa = nabfTransfer(ga, angA[i], gf, angF[i]);
                double qb = nabfTransfer(gb, angB[i], gf, angF[i]);
                artifacts += (1 - qa) * wa + (1 - qb) * wb;
            }
        }
        return artifacts / wtSum;
    }

    private static double[] nabfWeights(GrayPlane p) {
        double[] m = p.derived(SOBEL).magnitude;
        double[] wt = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            double g = m[i] * 0.125;
            wt[i] = g >= 2 ? Math.pow(g, 1.5) : 0.001;
        }
        return wt;
    }

    private static double nabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx == 0 || gf == 0 ? 0 : gx > gf ? gf / gx : gx / gf;
        double orient = Math.abs(Math.abs(ax - af) - HALF_PI) * 2 / Math.PI;
        double qg = 0.9999 / (1 + Math.exp(-19 * (g - 0.5)));
        double qa = 0.9995 / (1 + Math.exp(-22 * (orient - 0.5)));
        return Math.sqrt(qg * qa);
    }
}
