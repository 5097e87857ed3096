package io.ivfuse.quality.metric;

/**
 * fdlibm's {@code atan} (s_atan.c) in Java. It returns exactly what {@link StrictMath#atan} returns,
 * but the JIT compiles it inline, while Java 17 reaches fdlibm through a native call per value
 * (the edge metrics take one arc tangent per pixel per image).
 */
final class Atan {
    private static final double[] ATAN_HI = {
        4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01, 1.57079632679489655800e+00};
    private static final double[] ATAN_LO = {
        2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17};
    private static final double AT0 = 3.33333333333329318027e-01;
    private static final double AT1 = -1.99999999998764832476e-01;
    private static final double AT2 = 1.42857142725034663711e-01;
    private static final double AT3 = -1.11111104054623557880e-01;
    private static final double AT4 = 9.09088713343650656196e-02;
    private static final double AT5 = -7.69187620504482999495e-02;
    private static final double AT6 = 6.66107313738753120669e-02;
    private static final double AT7 = -5.83357013379057348645e-02;
    private static final double AT8 = 4.97687799461593236017e-02;
    private static final double AT9 = -3.65315727442169155270e-02;
    private static final double AT10 = 1.62858201153657823623e-02;

    private Atan() {
    }

    /*
     * fdlibm reduces |x| on five intervals (index id + 1 below) to a small argument
     * (a x + b) / (c x + d) and adds atan of the interval's anchor (hi + lo). The interval is picked
     * here by arithmetic on comparisons and the constants by table, not by branches: gradient
     * ratios are random from pixel to pixel, and mispredicted branches cost more than the
     * polynomial. Same operations on the same values as fdlibm, so the same bits.
     */
    private static final double[] NUM_A = {1, 2, 1, 1, 0};
    private static final double[] NUM_B = {0, -1, -1, -1.5, -1};
    private static final double[] DEN_A = {0, 1, 1, 1.5, 1};
    private static final double[] DEN_B = {1, 2, 1, 1, 0};
    private static final double[] HI = {0, ATAN_HI[0], ATAN_HI[1], ATAN_HI[2], ATAN_HI[3]};
    private static final double[] LO = {0, ATAN_LO[0], ATAN_LO[1], ATAN_LO[2], ATAN_LO[3]};

    static double atan(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int ix = (int) (bits >>> 32) & 0x7fffffff;
        if (ix >= 0x44100000 || ix < 0x3e200000) { // |x| >= 2^66, NaN, or |x| < 2^-29
            if (Double.isNaN(x)) {
                return x + x;
            }
            return ix < 0x3e200000 ? x : Math.copySign(ATAN_HI[3] + ATAN_LO[3], x);
        }
        // 0: |x| < 7/16; 1: < 11/16; 2: < 19/16; 3: < 39/16; 4: beyond.
        int k = (ix >= 0x3fdc0000 ? 1 : 0) + (ix >= 0x3fe60000 ? 1 : 0) + (ix >= 0x3ff30000 ? 1 : 0)
                + (ix >= 0x40038000 ? 1 : 0);
        double a = Math.abs(x);
        double t = (NUM_A[k] * a + NUM_B[k]) / (DEN_A[k] * a + DEN_B[k]);
        double z = t * t;
        double w = z * z;
        double s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
        double s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
        // For k == 0 this is t - t (s1 + s2), fdlibm's small-argument result, to the bit.
        double r = HI[k] - ((t * (s1 + s2) - LO[k]) - t);
        return Math.copySign(r, x);
    }
}
