package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelConvention.Activation;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The GPU kernels' CPU transcription against the translator the ONNX Runtime engine uses: bit for bit. */
class FrameKernelsReferenceTest {
    /** Conventions the shipped and imported models use, and the odd cases. */
    static final List<ModelConvention> CONVENTIONS = List.of(
            new ModelConvention("vis", "ir", "out", 0, 1, 8, List.of(Activation.CLAMP)),
            new ModelConvention("vis", "ir", "out", -1, 1, 16, List.of(Activation.TANH)),
            new ModelConvention("vis", "ir", "out", 0, 1, 4, List.of(Activation.SIGMOID, Activation.CLAMP)),
            new ModelConvention("vis", "ir", "out", 0, 255, 1, List.of()),
            new ModelConvention("vis", "ir", "out", -0.5f, 2, 32, List.of(Activation.TANH, Activation.SIGMOID, Activation.CLAMP)));
    /** Sizes with no padding, some, and more padding than the frame (reflection wraps). */
    static final int[][] SIZES = {{1, 1}, {2, 3}, {3, 2}, {5, 7}, {16, 16}, {33, 17}, {64, 48}};

    static Plane randomPlane(Random r, int w, int h, int stride) {
        byte[] data = new byte[stride * h];
        r.nextBytes(data);
        return Plane.wrap(java.nio.ByteBuffer.allocateDirect(data.length).put(0, data), w, h, stride);
    }

    static byte[] bytes(Plane p) {
        byte[] b = new byte[p.stride() * p.height()];
        p.data().get(0, b);
        return b;
    }

    @Test
    void inputKernelMatchesTheTranslator() {
        Random r = new Random(17);
        for (ModelConvention c : CONVENTIONS) {
            for (int[] s : SIZES) {
                ModelTranslator t = new ModelTranslator(c, s[0], s[1]);
                Plane p = randomPlane(r, s[0], s[1], s[0] + 3);
                FloatBuffer expected = FloatBuffer.allocate(t.tensorElements());
                t.toInput(p, expected);
                float[] got = new float[t.tensorElements()];
                FrameKernelsReference.bytesToInput(bytes(p), s[0], s[1], p.stride(), FrameKernelsReference.inputTable(t), got,
                        t.paddedWidth(), t.paddedHeight());
                assertArrayEquals(expected.array(), got, c + " " + s[0] + "x" + s[1]);
            }
        }
    }

    static float[] randomOutput(Random r, int n, ModelConvention c) {
        float span = c.rangeHigh() - c.rangeLow();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Mostly inside the range, some far outside, some exactly on rounding boundaries.
            v[i] = switch (i % 5) {
                case 0 -> c.rangeLow() + span * (r.nextInt(256) + 0.5f) / 255f;
                case 1 -> c.rangeLow() + span * (float) (r.nextGaussian() * 2);
                default -> c.rangeLow() + span * r.nextFloat();
            };
        }
        return v;
    }

    @Test
    void outputKernelMatchesTheTranslator() {
        Random r = new Random(18);
        for (ModelConvention c : CONVENTIONS) {
            for (int[] s : SIZES) {
                ModelTranslator t = new ModelTranslator(c, s[0], s[1]);
                float[] out = randomOutput(r, t.tensorElements(), c);
                Plane expected = Plane.allocate(s[0], s[1]);
                t.fromOutput(FloatBuffer.wrap(out), expected);
                byte[] got = new byte[s[0] * s[1]];
                FrameKernelsReference.outputToBytes(out, t.paddedWidth(), s[0], s[1], got, s[0], c.rangeLow(), c.rangeHigh(),
                        FrameKernelsReference.valueToUnit(c), FrameKernelsReference.stepCodes(c));
                for (int y = 0; y < s[1]; y++) {
                    for (int x = 0; x < s[0]; x++) {
                        assertEquals(expected.get(x, y), got[y * s[0] + x] & 0xFF, c + " at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void moreActivationStepsThanTheKernelTakesAreRefused() {
        ModelConvention four = new ModelConvention("v", "i", "o", 0, 1, 1,
                List.of(Activation.TANH, Activation.TANH, Activation.TANH, Activation.CLAMP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameKernelsReference.stepCodes(four));
        assertEquals("the GPU kernels take at most 3 output activation steps, the model has 4 [TANH, TANH, TANH, CLAMP]",
                e.getMessage());
    }
}
