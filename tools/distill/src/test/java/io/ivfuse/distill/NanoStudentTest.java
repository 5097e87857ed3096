package io.ivfuse.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ivfuse.model.ModelInfo;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class NanoStudentTest {

    static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** Perturbs every parameter so the test does not rely on the near-neutral initial head. */
    static void perturb(Student s, long seed) {
        Random r = new Random(seed);
        try (NoGradGuard g = new NoGradGuard()) {
            for (Tensor p : s.parameters()) {
                float[] v = Tensors.toArray(p);
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (r.nextGaussian() * 0.3);
                }
                p.copy_(Tensors.of(v, Tensors.shape(p)));
            }
        }
    }

    static float[] runOnnx(OnnxMl.ModelProto model, float[] vis, float[] ir, int h, int w) throws Exception {
        return runOnnx(model, "vi", vis, "ir", ir, h, w);
    }

    /** Runs a two-input model whose inputs are called {@code first} and {@code second}; its output "fused". */
    static float[] runOnnx(OnnxMl.ModelProto model, String first, float[] firstValues, String second, float[] secondValues, int h, int w)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor v = OnnxTensor.createTensor(env, FloatBuffer.wrap(firstValues), new long[] {1, 1, h, w});
             OnnxTensor i = OnnxTensor.createTensor(env, FloatBuffer.wrap(secondValues), new long[] {1, 1, h, w});
             OrtSession.Result r = s.run(Map.of(first, v, second, i))) {
            FloatBuffer out = ((OnnxTensor) r.get("fused").get()).getFloatBuffer();
            float[] a = new float[out.remaining()];
            out.get(a);
            return a;
        }
    }

    @Test
    void exportedGraphComputesWhatTheTrainingForwardComputes() throws Exception {
        NanoStudent nano = new NanoStudent(16, 1f, 7);
        perturb(nano, 8);
        int h = 36;
        int w = 52;
        float[] vis = random(1, h * w);
        float[] ir = random(2, h * w);
        float[] torchOut;
        try (NoGradGuard g = new NoGradGuard()) {
            torchOut = Tensors.toArray(nano.forward(Tensors.of(vis, 1, 1, h, w), Tensors.of(ir, 1, 1, h, w)).fused());
        }
        float[] onnxOut = runOnnx(nano.toOnnx(Map.of()), vis, ir, h, w);
        assertEquals(torchOut.length, onnxOut.length);
        double max = 0;
        for (int i = 0; i < torchOut.length; i++) {
            max = Math.max(max, Math.abs(torchOut[i] - onnxOut[i]));
        }
        assertTrue(max < 1e-4, "max |libtorch - onnxruntime| = " + max);
    }

    @Test
    void aFlatPairFusesToItself() throws Exception {
        // With a zero head and equal sources the weight is 1/2 and every detail 0.
        NanoStudent nano = new NanoStudent(16, 1f, 7);
        try (NoGradGuard g = new NoGradGuard()) {
            nano.parameters().get(8).zero_();
            nano.parameters().get(9).zero_();
        }
        int h = 16;
        int w = 16;
        float[] flat = new float[h * w];
        java.util.Arrays.fill(flat, 0.25f);
        float[] out = runOnnx(nano.toOnnx(Map.of()), flat, flat, h, w);
        float[] expected = new float[h * w];
        java.util.Arrays.fill(expected, 0.25f);
        assertArrayEquals(expected, out, 1e-5f, "a flat pair fuses to itself");
    }

    /** The untrained rule: no CNN correction, no fine-detail gain. */
    static NanoStudent untrained() {
        NanoStudent nano = new NanoStudent(16, 0.5f, 7);
        try (NoGradGuard g = new NoGradGuard()) {
            nano.parameters().get(8).zero_();
            nano.parameters().get(9).zero_();
        }
        return nano;
    }

    @Test
    void theRuleIsTheSameForBothInputs() throws Exception {
        OnnxMl.ModelProto model = untrained().toOnnx(Map.of());
        int h = 32;
        int w = 40;
        float[] a = random(3, h * w);
        float[] b = random(4, h * w);
        assertArrayEquals(runOnnx(model, a, b, h, w), runOnnx(model, b, a, h, w), 1e-5f, "fuse(a, b) = fuse(b, a)");
    }

    @Test
    void aTexturedSourceKeepsItsDetailOverAFlatBrighterOne() throws Exception {
        // Visible: a fine checkerboard around 0.4; infrared: flat 0.6, brighter. Expected: the
        // brighter base (0.6) plus the visible's texture, at full contrast.
        int h = 32;
        int w = 32;
        float[] vis = new float[h * w];
        float[] ir = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                vis[y * w + x] = ((x / 2 + y / 2) % 2 == 0) ? 0.3f : 0.5f;
                ir[y * w + x] = 0.6f;
            }
        }
        float[] out = runOnnx(untrained().toOnnx(Map.of()), vis, ir, h, w);
        double mean = 0;
        double contrast = 0;
        for (int i = 0; i < out.length; i++) {
            mean += out[i];
            contrast += Math.abs(out[i] - 0.6);
        }
        mean /= out.length;
        contrast /= out.length;
        assertEquals(0.6, mean, 0.01, "the brighter base");
        assertEquals(0.1, contrast, 0.01, "the visible texture, unattenuated (|fused - 0.6| = 0.1)");
    }

    @Test
    void costIsFarBelowHalfAGigaMacAt640x512() {
        ModelInfo info = ModelInfo.of(new NanoStudent(16, 1f, 7).toOnnx(Map.of()), "nano");
        assertEquals(392, info.macsPerPixel(), 1.0, "MACs per pixel");
        assertTrue(info.macsPerPixel() * 640 * 512 < 0.5e9);
    }
}
