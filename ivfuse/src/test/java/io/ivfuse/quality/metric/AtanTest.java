package io.ivfuse.quality.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Java fdlibm atan gives StrictMath's bits: gradient ratios, every reduction interval, edge cases. */
class AtanTest {

    private static void same(double x) {
        assertEquals(Double.doubleToLongBits(StrictMath.atan(x)), Double.doubleToLongBits(Atan.atan(x)), "atan(" + x + ")");
    }

    @Test
    void matchesStrictMathBitForBit() {
        for (double x : new double[] {0.0, -0.0, 1e-300, -1e-10, 0x1p-29, 0.4375, 0.6875, 1.1875, 2.4375, 0x1p66, 1e300,
            Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            same(x);
            same(-x);
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            // Sobel ratios of 8-bit images, and values spread over every interval.
            same((rnd.nextInt(2041) - 1020) / (double) (rnd.nextInt(2040) + 1));
            same(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
        }
    }
}
