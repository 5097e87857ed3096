package io.ivfuse.quality.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties the definitions imply, checked on synthetic images (no shared data needed). */
class MetricPropertiesTest {
    private static final int W = 64;
    private static final int H = 48;

    private static MetricImage noise(long seed) {
        Random r = new Random(seed);
        double[] d = new double[W * H];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(256);
        }
        return MetricImage.gray(W, H, d);
    }

    /** A smooth image with structure, so SSIM and gradients are meaningful. */
    private static MetricImage pattern(double phase) {
        double[] d = new double[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                d[y * W + x] = Math.round(127 + 100 * Math.sin(x / 5.0 + phase) * Math.cos(y / 7.0));
            }
        }
        return MetricImage.gray(W, H, d);
    }

    private static MetricImage constant(double v) {
        double[] d = new double[W * H];
        java.util.Arrays.fill(d, v);
        return MetricImage.gray(W, H, d);
    }

    /** The conventions of infrared + visible fusion (MEFB names its metrics its own way). */
    private static final List<Convention> IR_VIS = List.of(Convention.VIFB, Convention.CDDFUSE);

    private static Metric metric(Convention c, String name) {
        return MetricCatalog.select(c, List.of(name)).get(0);
    }

    @Test
    void entropyOfAConstantImageIsZero() {
        for (Convention c : IR_VIS) {
            assertEquals(0, metric(c, "EN").compute(noise(1), noise(2), constant(77)), 0, c.id());
        }
    }

    @Test
    void entropyOfAUniformHistogramIsEightBits() {
        double[] d = new double[256 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % 256;
        }
        assertEquals(8, InformationMetrics.entropy(d, false), 1e-12);
    }

    @Test
    void ssimOfAnImageWithItselfIsOnePerSource() {
        MetricImage a = pattern(0);
        MetricImage b = pattern(1);
        for (Convention c : IR_VIS) {
            double both = metric(c, "SSIM").compute(a, a, a);
            assertEquals(2, both, 1e-5, c.id() + ": SSIM(A,A) + SSIM(A,A)");
            double one = metric(c, "SSIM").compute(a, b, a);
            assertTrue(one > 1 && one < 2, c.id() + ": one source equal gives 1 + SSIM(B,A) < 2, got " + one);
        }
        assertEquals(1, StructuralSimilarity.msSsim(pattern(0).plane(), pattern(0).plane(), W, H), 1e-9);
    }

    @Test
    void mutualInformationIsSymmetric() {
        double[] a = pattern(0).plane();
        double[] b = noise(3).plane();
        assertEquals(InformationMetrics.mutualInformation(a, b), InformationMetrics.mutualInformation(b, a), 1e-12);
        assertEquals(InformationMetrics.mutualInformationVifb(a, b), InformationMetrics.mutualInformationVifb(b, a), 1e-12);
        // MI of an image with itself is its entropy (in nats).
        assertEquals(InformationMetrics.entropy(a, true) * Math.log(2), InformationMetrics.mutualInformation(a, a), 1e-9);
    }

    @Test
    void aFusedImageEqualToOneSourceScoresWhatTheDefinitionsSay() {
        MetricImage a = pattern(0);
        MetricImage b = noise(4);
        // F = A: no error against A, so vifb RMSE is half of B's root error; CC and MSE follow.
        assertEquals(ReferenceMetrics.vifbRootError(b.plane(), a.plane()) / 2,
                metric(Convention.VIFB, "RMSE").compute(a, b, a), 1e-12);
        assertEquals(ReferenceMetrics.sumSquaredError(b.plane(), a.plane()) / (W * H) / 2,
                metric(Convention.CDDFUSE, "MSE").compute(a, b, a), 1e-9);
        assertEquals((1 + ReferenceMetrics.correlation(b.plane(), a.plane())) / 2,
                metric(Convention.CDDFUSE, "CC").compute(a, b, a), 1e-12);
        // Qabf with F = A = B: every gradient transferred, Q = Tg/(1+e^(-7.5)) * Ta/(1+e^(-4.4)) where gradients are non-zero.
        double q = metric(Convention.CDDFUSE, "Qabf").compute(a, a, a);
        assertTrue(q > 0.97 && q < 0.99, "Qabf(A, A, A) = " + q);
        // VIF of a source with itself is 1 per source.
        assertEquals(2, metric(Convention.CDDFUSE, "VIF").compute(a, a, a), 1e-9);
        // Cross entropy of identical histograms is 0; Nabf has no artifacts when F = A = B.
        assertEquals(0, metric(Convention.VIFB, "CE").compute(a, a, a), 1e-12);
        assertEquals(0, metric(Convention.VIFB, "Nabf").compute(a, a, a), 0);
    }

    @Test
    void vifbAveragesColourChannels() {
        MetricImage r = pattern(0);
        MetricImage g = pattern(1);
        MetricImage b = pattern(2);
        MetricImage colour = new MetricImage(W, H, new double[][] {r.plane(), g.plane(), b.plane()});
        double perChannel = (InformationMetrics.entropy(r.plane(), false) + InformationMetrics.entropy(g.plane(), false)
                + InformationMetrics.entropy(b.plane(), false)) / 3;
        assertEquals(perChannel, metric(Convention.VIFB, "EN").compute(noise(1), colour, colour), 1e-12);
    }

    @Test
    void unknownMetricOrConventionIsAOneLineError() {
        IvfuseException e = assertThrows(IvfuseException.class, () -> MetricCatalog.select(Convention.VIFB, List.of("XYZ")));
        assertTrue(e.getMessage().contains("XYZ") && !e.getMessage().contains("\n"));
        assertThrows(IvfuseException.class, () -> Convention.parse("matlab"));
        assertThrows(IllegalArgumentException.class,
                () -> metric(Convention.VIFB, "EN").compute(noise(1), noise(2), MetricImage.gray(2, 2, new double[4])));
    }

    @Test
    void mefSsimIsOneForAFusedImageEqualToIdenticalExposures() {
        MetricImage a = pattern(0);
        assertEquals(1, metric(Convention.MEFB, "MEF_SSIM").compute(a, a, a), 1e-9);
        double other = metric(Convention.MEFB, "MEF_SSIM").compute(a, a, pattern(1));
        assertTrue(other < 0.99, "another image scores below 1: " + other);
    }

    @Test
    void mefbAveragesColourChannelsAndNamesMetricsAsMefbDoes() {
        MetricImage r = pattern(0);
        MetricImage g = pattern(1);
        MetricImage b = pattern(2);
        MetricImage colour = new MetricImage(W, H, new double[][] {r.plane(), g.plane(), b.plane()});
        double perChannel = (InformationMetrics.entropy(r.plane(), false) + InformationMetrics.entropy(g.plane(), false)
                + InformationMetrics.entropy(b.plane(), false)) / 3;
        assertEquals(perChannel, metric(Convention.MEFB, "Entropy").compute(colour, colour, colour), 1e-12);
        assertEquals(List.of("MEF_SSIM", "Cross_entropy", "Entropy", "NMI", "Qncie", "Qabf", "VIF", "Qcb", "Qcv", "Qw", "Qy", "Psnr", "SD",
                "Spatial_frequency", "Avg_gradient", "Edge_intensity"), List.copyOf(MetricCatalog.available(Convention.MEFB).keySet()));
        assertTrue(!metric(Convention.MEFB, "Cross_entropy").higherIsBetter());
    }

    /** MEFB's VIF (Han 2013): a fused image equal to both sources keeps all information; noise loses some. */
    @Test
    void mefbVifIsOneForAnIdenticalFusionAndLowerForANoisyOne() {
        MetricImage a = pattern(0);
        Metric vif = metric(Convention.MEFB, "VIF");
        assertEquals(1.0, vif.compute(a, a, a), 1e-6);
        double[] noisy = a.plane().clone();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = Math.min(255, Math.max(0, noisy[i] + Math.round(20 * random.nextGaussian())));
        }
        double degraded = vif.compute(a, pattern(0.5), MetricImage.gray(W, H, noisy));
        assertTrue(degraded > 0 && degraded < 0.9, "VIF of a noisy fusion: " + degraded);
    }
}
