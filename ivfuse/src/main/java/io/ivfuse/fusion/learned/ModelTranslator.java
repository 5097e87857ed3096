package io.ivfuse.fusion.learned;

import io.ivfuse.frame.Plane;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The numerics every learned engine shares between 8-bit planes and a model's float tensors, as the
 * model's {@link ModelConvention} declares them: bytes to the model's value range, reflection padding
 * up to its size multiple (bottom and right), and back: crop, the output activation, rounding to 8
 * bits with saturation. One per session and frame size; its row buffers make it single-threaded.
 *
 * <p>ONNX Runtime's session uses it on direct buffers; a GPU engine's host buffers, or its kernels'
 * CPU reference, use the same per-value functions {@link #inputValue} and {@link #outputByte}, so
 * every engine rounds the same way.
 */
public final class ModelTranslator {
    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private final float rangeLow;
    private final float rangeHigh;
    private final float valueToUnit;
    private final ModelConvention.Activation[] activation;
    private final float[] byteToValue = new float[256];
    private final int[] columnSource;
    private final int[] rowSource;
    private final byte[] byteRow;
    private final float[] floatRow;

    public ModelTranslator(ModelConvention convention, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.paddedWidth = convention.padded(width);
        this.paddedHeight = convention.padded(height);
        this.rangeLow = convention.rangeLow();
        this.rangeHigh = convention.rangeHigh();
        this.valueToUnit = 1f / (rangeHigh - rangeLow);
        List<ModelConvention.Activation> steps = convention.activation();
        this.activation = steps.toArray(new ModelConvention.Activation[0]);
        for (int v = 0; v < 256; v++) {
            byteToValue[v] = (float) (rangeLow + (rangeHigh - rangeLow) * (v / 255.0));
        }
        columnSource = ReflectionPadding.indexMap(width, paddedWidth);
        rowSource = ReflectionPadding.indexMap(height, paddedHeight);
        byteRow = new byte[paddedWidth];
        floatRow = new float[paddedWidth];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int paddedWidth() {
        return paddedWidth;
    }

    public int paddedHeight() {
        return paddedHeight;
    }

    /** Floats in one padded NCHW plane: the element count of each input and of the output. */
    public int tensorElements() {
        return paddedWidth * paddedHeight;
    }

    /** The NCHW shape of one input or the output: {1, 1, padded height, padded width}. */
    public long[] tensorShape() {
        return new long[] {1, 1, paddedHeight, paddedWidth};
    }

    /** Whether the plane has this translator's frame size. */
    private boolean fits(Plane plane) {
        return plane.width() == width && plane.height() == height;
    }

    /** Throws unless the three planes of a fuse call all have this translator's frame size. */
    public void checkPlanes(Plane visible, Plane infrared, Plane fused) {
        if (!fits(visible) || !visible.sameSize(infrared) || !visible.sameSize(fused)) {
            throw new IllegalArgumentException("planes " + visible + ", " + infrared + ", " + fused + " do not match the session's "
                    + width + "x" + height);
        }
    }

    /** The model's value for the 8-bit sample {@code b} (0..255). */
    public float inputValue(int b) {
        return byteToValue[b];
    }

    /** The 8-bit sample (0..255) for the model's raw output {@code v}: activation, then rounding, saturating. */
    public int outputByte(float v) {
        for (ModelConvention.Activation step : activation) {
            v = switch (step) {
                case TANH -> (float) Math.tanh(v);
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
                case CLAMP -> Math.max(rangeLow, Math.min(rangeHigh, v));
            };
        }
        int q = (int) ((v - rangeLow) * valueToUnit * 255f + 0.5f);
        return q < 0 ? 0 : Math.min(q, 255);
    }

    /** The plane as the model's input: values, reflection-padded, into the padded NCHW buffer {@code dst} (absolute puts). */
    public void toInput(Plane plane, FloatBuffer dst) {
        ByteBuffer src = plane.data();
        int stride = plane.stride();
        for (int y = 0; y < paddedHeight; y++) {
            src.get(rowSource[y] * stride, byteRow, 0, width);
            for (int x = 0; x < paddedWidth; x++) {
                floatRow[x] = byteToValue[byteRow[columnSource[x]] & 0xFF];
            }
            dst.put(y * paddedWidth, floatRow, 0, paddedWidth);
        }
    }

    /** The model's padded NCHW output {@code src}, cropped back to the frame, as 8-bit samples in {@code dst}. */
    public void fromOutput(FloatBuffer src, Plane dst) {
        ByteBuffer out = dst.data();
        int stride = dst.stride();
        for (int y = 0; y < height; y++) {
            src.get(y * paddedWidth, floatRow, 0, width);
            for (int x = 0; x < width; x++) {
                byteRow[x] = (byte) outputByte(floatRow[x]);
            }
            out.put(y * stride, byteRow, 0, width);
        }
    }
}
