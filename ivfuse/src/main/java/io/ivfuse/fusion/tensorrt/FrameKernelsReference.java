package io.ivfuse.fusion.tensorrt;

import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import java.util.List;

/**
 * The CPU transcription of {@code native/frame_kernels.cu}, thread body for thread body: what each
 * GPU thread computes for its element, with the kernel's own index arithmetic (reflection computed,
 * not looked up) and the kernel's parameters. Tests compare it with {@link ModelTranslator}, which
 * the ONNX Runtime engine uses, so a change to either shows; on a GPU, with the kernels' output.
 */
public final class FrameKernelsReference {
    /** Activation codes of the kernel ({@code IVF_ACT_*}), in {@link ModelConvention.Activation} order after 0. */
    static final int NONE = 0;
    /** The kernel takes at most this many activation steps. */
    static final int MAX_STEPS = 3;

    private FrameKernelsReference() {
    }

    /** The kernel's activation step codes for a convention, padded with {@link #NONE}. */
    static int[] stepCodes(ModelConvention convention) {
        List<ModelConvention.Activation> steps = convention.activation();
        if (steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("the GPU kernels take at most " + MAX_STEPS + " output activation steps, the model has "
                    + steps.size() + " " + steps);
        }
        int[] codes = new int[MAX_STEPS];
        for (int i = 0; i < steps.size(); i++) {
            codes[i] = steps.get(i).ordinal() + 1; // TANH 1, SIGMOID 2, CLAMP 3, as in the .cu
        }
        return codes;
    }

    /** The 256-entry table the input kernel reads: the translator's values. */
    static float[] inputTable(ModelTranslator translator) {
        float[] lut = new float[256];
        for (int b = 0; b < 256; b++) {
            lut[b] = translator.inputValue(b);
        }
        return lut;
    }

    static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        int period = 2 * (size - 1);
        int r = i % period;
        return r < size ? r : period - r;
    }

    /** {@code ivf_bytes_to_input} over the whole grid. */
    public static void bytesToInput(byte[] src, int width, int height, int srcStride, float[] lut, float[] dst,
                                    int paddedWidth, int paddedHeight) {
        for (int y = 0; y < paddedHeight; y++) {
            for (int x = 0; x < paddedWidth; x++) {
                int sx = reflect(x, width);
                int sy = reflect(y, height);
                dst[y * paddedWidth + x] = lut[src[sy * srcStride + sx] & 0xFF];
            }
        }
    }

    static float activate(float v, int step, float low, float high) {
        return switch (step) {
            case 1 -> (float) Math.tanh(v);
            case 2 -> (float) (1.0 / (1.0 + Math.exp(-(double) v)));
            case 3 -> Math.max(low, Math.min(high, v));
            default -> v;
        };
    }

    /** {@code ivf_output_to_bytes} over the whole grid. */
    public static void outputToBytes(float[] src, int paddedWidth, int width, int height, byte[] dst, int dstStride,
                                     float low, float high, float valueToUnit, int[] steps) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = src[y * paddedWidth + x];
                v = activate(v, steps[0], low, high);
                v = activate(v, steps[1], low, high);
                v = activate(v, steps[2], low, high);
                int q = (int) ((v - low) * valueToUnit * 255.0f + 0.5f);
                dst[y * dstStride + x] = (byte) (q < 0 ? 0 : (q > 255 ? 255 : q));
            }
        }
    }

    /** The kernel's {@code valueToUnit} parameter, computed as the translator computes it. */
    static float valueToUnit(ModelConvention convention) {
        return 1f / (convention.rangeHigh() - convention.rangeLow());
    }
}
