package io.ivfuse.quality;

/**
 * Gradient-based edge transfer metrics: Qabf (Xydeas and Petrovic) and Nabf (Shreyamsha Kumar's
 * fusion-artifact measure). Gray planes on the 8-bit scale.
 */
public final class EdgeTransferMetrics {
    private static final double HALF_PI = Math.PI / 2;

    private EdgeTransferMetrics() {
    }

    /** Sobel responses and derived strength and orientation of one image. */
    private record Edges(double[] strength, double[] angle) {
    }

    /**
     * Qabf as in both reference codes: Sobel by MATLAB conv2 'same' (zero padding), atan(y/x) with
     * pi/2 where x == 0, the G == gF quirk where gA == gF.
     */
    public static double qabf(double[] a, double[] b, double[] f, int w, int h) {
        Edges ea = qabfEdges(a, w, h);
        Edges eb = qabfEdges(b, w, h);
        Edges ef = qabfEdges(f, w, h);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double ga = ea.strength[i];
            double gb = eb.strength[i];
            num += qabfTransfer(ga, ea.angle[i], ef.strength[i], ef.angle[i]) * ga
                    + qabfTransfer(gb, eb.angle[i], ef.strength[i], ef.angle[i]) * gb;
            den += ga + gb;
        }
        return num / den;
    }

    private static double qabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx > gf ? gf / gx : gx == gf ? gf : gx / gf;
        double orient = 1 - Math.abs(ax - af) / HALF_PI;
        double qg = 0.9994 / (1 + Math.exp(-15 * (g - 0.5)));
        double qa = 0.9879 / (1 + Math.exp(-22 * (orient - 0.8)));
        return qg * qa;
    }

    private static Edges qabfEdges(double[] img, int w, int h) {
        int pw = w + 2;
        double[] p = padded(img, w, h, false);
        int n = img.length;
        double[] g = new double[n];
        double[] ang = new double[n];
        for (int y = 0; y < h; y++) {
            int up = y * pw;
            int mid = up + pw;
            int down = mid + pw;
            for (int x = 0; x < w; x++) {
                // conv2 flips the kernels; x kernel [-1 0 1; -2 0 2; -1 0 1], y kernel [1 2 1; 0 0 0; -1 -2 -1].
                double sx = (p[up + x] + 2 * p[mid + x] + p[down + x]) - (p[up + x + 2] + 2 * p[mid + x + 2] + p[down + x + 2]);
                double sy = (p[down + x] + 2 * p[down + x + 1] + p[down + x + 2]) - (p[up + x] + 2 * p[up + x + 1] + p[up + x + 2]);
                int i = y * w + x;
                g[i] = Math.sqrt(sx * sx + sy * sy);
                ang[i] = sx == 0 ? HALF_PI : Math.atan(sy / sx);
            }
        }
        return new Edges(g, ang);
    }

    /** The image with a one-pixel border: zeros, or mirrored (half-sample symmetric). */
    private static double[] padded(double[] img, int w, int h, boolean mirror) {
        int pw = w + 2;
        double[] p = new double[pw * (h + 2)];
        for (int y = -1; y <= h; y++) {
            int sy = y < 0 ? 0 : y >= h ? h - 1 : y;
            if (!mirror && sy != y) {
                continue;
            }
            int row = (y + 1) * pw;
            System.arraycopy(img, sy * w, p, row + 1, w);
            if (mirror) {
                p[row] = img[sy * w];
                p[row + w + 1] = img[sy * w + w - 1];
            }
        }
        return p;
    }

    /**
     * Nabf, the modified fusion-artifact measure of Shreyamsha Kumar: Sobel / 8 with mirror
     * extension, weights |g|^1.5 where |g| >= 2 (else 0.001), artifacts counted where the fused
     * gradient exceeds both sources'. Not checked against an external value (none is available).
     */
    public static double nabf(double[] a, double[] b, double[] f, int w, int h) {
        Edges ea = nabfEdges(a, w, h);
        Edges eb = nabfEdges(b, w, h);
        Edges ef = nabfEdges(f, w, h);
        double wtSum = 0;
        double artifacts = 0;
        for (int i = 0; i < a.length; i++) {
            double ga = ea.strength[i];
            double gb = eb.strength[i];
            double gf = ef.strength[i];
            double wa = ga >= 2 ? Math.pow(ga, 1.5) : 0.001;
            double wb = gb >= 2 ? Math.pow(gb, 1.5) : 0.001;
            wtSum += wa + wb;
            if (gf > ga && gf > gb) {
                double qa = nabfTransfer(ga, ea.angle[i], gf, ef.angle[i]);
                double qb = nabfTransfer(gb, eb.angle[i], gf, ef.angle[i]);
                artifacts += (1 - qa) * wa + (1 - qb) * wb;
            }
        }
        return artifacts / wtSum;
    }

    private static double nabfTransfer(double gx, double ax, double gf, double af) {
        double g = gx == 0 || gf == 0 ? 0 : gx > gf ? gf / gx : gx / gf;
        double orient = Math.abs(Math.abs(ax - af) - HALF_PI) * 2 / Math.PI;
        double qg = 0.9999 / (1 + Math.exp(-19 * (g - 0.5)));
        double qa = 0.9995 / (1 + Math.exp(-22 * (orient - 0.5)));
        return Math.sqrt(qg * qa);
    }

    private static Edges nabfEdges(double[] img, int w, int h) {
        int pw = w + 2;
        double[] p = padded(img, w, h, true);
        int n = img.length;
        double[] g = new double[n];
        double[] ang = new double[n];
        for (int y = 0; y < h; y++) {
            int up = y * pw;
            int mid = up + pw;
            int down = mid + pw;
            for (int x = 0; x < w; x++) {
                double gh = ((p[up + x + 2] + 2 * p[mid + x + 2] + p[down + x + 2]) - (p[up + x] + 2 * p[mid + x] + p[down + x])) / 8;
                double gv = ((p[down + x] + 2 * p[down + x + 1] + p[down + x + 2]) - (p[up + x] + 2 * p[up + x + 1] + p[up + x + 2])) / 8;
                int i = y * w + x;
                g[i] = Math.sqrt(gh * gh + gv * gv);
                ang[i] = gh == 0 && gv == 0 ? 0 : Math.atan(gv / gh);
            }
        }
        return new Edges(g, ang);
    }
}
