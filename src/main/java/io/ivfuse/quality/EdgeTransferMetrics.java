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
        int n = img.length;
        double[] g = new double[n];
        double[] ang = new double[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // conv2 flips the kernels; x kernel [-1 0 1; -2 0 2; -1 0 1], y kernel [1 2 1; 0 0 0; -1 -2 -1].
                double sx = (zp(img, w, h, x - 1, y - 1) + 2 * zp(img, w, h, x - 1, y) + zp(img, w, h, x - 1, y + 1))
                        - (zp(img, w, h, x + 1, y - 1) + 2 * zp(img, w, h, x + 1, y) + zp(img, w, h, x + 1, y + 1));
                double sy = (zp(img, w, h, x - 1, y + 1) + 2 * zp(img, w, h, x, y + 1) + zp(img, w, h, x + 1, y + 1))
                        - (zp(img, w, h, x - 1, y - 1) + 2 * zp(img, w, h, x, y - 1) + zp(img, w, h, x + 1, y - 1));
                int i = y * w + x;
                g[i] = Math.sqrt(sx * sx + sy * sy);
                ang[i] = sx == 0 ? HALF_PI : Math.atan(sy / sx);
            }
        }
        return new Edges(g, ang);
    }

    private static double zp(double[] img, int w, int h, int x, int y) {
        return x < 0 || y < 0 || x >= w || y >= h ? 0 : img[y * w + x];
    }

    private static double sym(double[] img, int w, int h, int x, int y) {
        int xx = x < 0 ? -x - 1 : x >= w ? 2 * w - x - 1 : x;
        int yy = y < 0 ? -y - 1 : y >= h ? 2 * h - y - 1 : y;
        return img[Math.max(0, Math.min(h - 1, yy)) * w + Math.max(0, Math.min(w - 1, xx))];
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
        int n = img.length;
        double[] g = new double[n];
        double[] ang = new double[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double gh = ((sym(img, w, h, x + 1, y - 1) + 2 * sym(img, w, h, x + 1, y) + sym(img, w, h, x + 1, y + 1))
                        - (sym(img, w, h, x - 1, y - 1) + 2 * sym(img, w, h, x - 1, y) + sym(img, w, h, x - 1, y + 1))) / 8;
                double gv = ((sym(img, w, h, x - 1, y + 1) + 2 * sym(img, w, h, x, y + 1) + sym(img, w, h, x + 1, y + 1))
                        - (sym(img, w, h, x - 1, y - 1) + 2 * sym(img, w, h, x, y - 1) + sym(img, w, h, x + 1, y - 1))) / 8;
                int i = y * w + x;
                g[i] = Math.sqrt(gh * gh + gv * gv);
                ang[i] = gh == 0 && gv == 0 ? 0 : Math.atan(gv / gh);
            }
        }
        return new Edges(g, ang);
    }
}
