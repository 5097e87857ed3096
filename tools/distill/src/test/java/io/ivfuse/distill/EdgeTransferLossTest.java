package io.ivfuse.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.quality.metric.EdgeTransferMetrics;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The differentiable Qabf of the edgeTransfer loss term against ivfuse's Qabf metric. */
class EdgeTransferLossTest {
    static final int W = 48;
    static final int H = 40;

    /** Random blobs and texture inside a 3-pixel black frame, so that zero and reflection padding agree. */
    static double[] image(long seed) {
        Random r = new Random(seed);
        double[] v = new double[W * H];
        int cx = 10 + r.nextInt(28);
        int cy = 10 + r.nextInt(20);
        for (int y = 3; y < H - 3; y++) {
            for (int x = 3; x < W - 3; x++) {
                boolean blob = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 60;
                v[y * W + x] = (blob ? 200 : 60) + 40 * Math.sin(x * (0.3 + 0.2 * r.nextDouble())) + 10 * r.nextDouble();
            }
        }
        return v;
    }

    static double lossQabf(DistillLosses losses, double[] a, double[] b, double[] f) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor q = DistillLosses.edgeTransfer(losses.derivatives(tensor(f)), losses.derivatives(tensor(a)),
                    losses.derivatives(tensor(b)));
            return Tensors.toArray(q)[0];
        }
    }

    static Tensor tensor(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) (v[i] / 255);
        }
        return Tensors.of(f, 1, 1, H, W);
    }

    @Test
    void matchesTheQabfMetric() {
        DistillLosses losses = new DistillLosses(new DistillConfig.Losses(), 4, 4, 1);
        double[] a = image(1);
        double[] b = image(2);
        double[] average = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            average[i] = (a[i] + b[i]) / 2;
        }
        for (double[] f : new double[][] {a, b, average, image(3)}) {
            double metric = EdgeTransferMetrics.qabf(a, b, f, W, H);
            assertEquals(metric, lossQabf(losses, a, b, f), 0.01, "loss Qabf against the metric's");
        }
        assertTrue(lossQabf(losses, a, b, average) < lossQabf(losses, a, b, a), "averaging loses edges that a source keeps");
    }
}
