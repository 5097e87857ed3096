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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor v = OnnxTensor.createTensor(env, FloatBuffer.wrap(vis), new long[] {1, 1, h, w});
             OnnxTensor i = OnnxTensor.createTensor(env, FloatBuffer.wrap(ir), new long[] {1, 1, h, w});
             OrtSession.Result r = s.run(Map.of("vi", v, "ir", i))) {
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

    @Test
    void costIsFarBelowHalfAGigaMacAt640x512() {
        ModelInfo info = ModelInfo.of(new NanoStudent(16, 1f, 7).toOnnx(Map.of()), "nano");
        assertEquals(392, info.macsPerPixel(), 1.0, "MACs per pixel");
        assertTrue(info.macsPerPixel() * 640 * 512 < 0.5e9);
    }
}
