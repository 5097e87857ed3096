package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One fusion thread's ONNX Runtime session for one frame size. The input and output tensors wrap
 * direct buffers allocated here once: ONNX Runtime reads the inputs from, and writes the output
 * into, the same memory every frame ({@code run} with pinned outputs), so the per-frame work is
 * byte-to-float conversion with reflection padding, the network, and crop + activation + rounding.
 */
final class OnnxFusionSession implements FusionSession {
    private final OrtSession session;
    private final ModelConvention convention;
    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private final FloatBuffer visible;
    private final FloatBuffer infrared;
    private final FloatBuffer output;
    private final OnnxTensor visibleTensor;
    private final OnnxTensor infraredTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final float[] byteToValue = new float[256];
    private final int[] columnSource;
    private final int[] rowSource;
    private final byte[] byteRow;
    private final float[] floatRow;
    private final float valueToUnit;
    private boolean closed;

    OnnxFusionSession(OrtEnvironment env, OrtSession session, ModelConvention convention, String outputName,
                      int width, int height) throws OrtException {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        this.session = session;
        this.convention = convention;
        this.width = width;
        this.height = height;
        this.paddedWidth = convention.padded(width);
        this.paddedHeight = convention.padded(height);
        long[] shape = {1, 1, paddedHeight, paddedWidth};
        int n = paddedWidth * paddedHeight;
        visible = directFloats(n);
        infrared = directFloats(n);
        output = directFloats(n);
        visibleTensor = OnnxTensor.createTensor(env, visible, shape);
        infraredTensor = OnnxTensor.createTensor(env, infrared, shape);
        outputTensor = OnnxTensor.createTensor(env, output, shape);
        inputs = Map.of(convention.visibleInput(), visibleTensor, convention.infraredInput(), infraredTensor);
        outputs = Map.of(outputName, outputTensor);
        float lo = convention.rangeLow();
        float span = convention.rangeHigh() - lo;
        for (int v = 0; v < 256; v++) {
            byteToValue[v] = (float) (lo + span * (v / 255.0));
        }
        valueToUnit = 1f / span;
        columnSource = ReflectionPadding.indexMap(width, paddedWidth);
        rowSource = ReflectionPadding.indexMap(height, paddedHeight);
        byteRow = new byte[paddedWidth];
        floatRow = new float[paddedWidth];
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int paddedWidth() {
        return paddedWidth;
    }

    int paddedHeight() {
        return paddedHeight;
    }

    @Override
    public void fuse(Plane visibleY, Plane ir, Plane fused) {
        if (closed) {
            throw new IllegalStateException("onnxruntime session is closed");
        }
        if (visibleY.width() != width || visibleY.height() != height || !visibleY.sameSize(ir) || !visibleY.sameSize(fused)) {
            throw new IllegalArgumentException("planes " + visibleY + ", " + ir + ", " + fused + " do not match the session's "
                    + width + "x" + height);
        }
        load(visibleY, visible);
        load(ir, infrared);
        try {
            // The fused tensor is now in `output`; closing the result leaves pinned outputs open.
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IvfuseException("onnxruntime engine: the network failed on a " + width + "x" + height
                    + " frame: " + e.getMessage(), e);
        }
        store(fused);
    }

    /** Bytes to values, reflection-padded to the padded size, into an NCHW tensor buffer. */
    private void load(Plane plane, FloatBuffer dst) {
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

    /** Crops the output back, applies the declared activation, rounds to 8 bits. */
    private void store(Plane fused) {
        ByteBuffer dst = fused.data();
        int stride = fused.stride();
        float lo = convention.rangeLow();
        float hi = convention.rangeHigh();
        var steps = convention.activation();
        for (int y = 0; y < height; y++) {
            output.get(y * paddedWidth, floatRow, 0, width);
            for (int x = 0; x < width; x++) {
                float v = floatRow[x];
                for (int s = 0; s < steps.size(); s++) {
                    v = switch (steps.get(s)) {
                        case TANH -> (float) Math.tanh(v);
                        case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-v)));
                        case CLAMP -> Math.max(lo, Math.min(hi, v));
                    };
                }
                float unit = (v - lo) * valueToUnit;
                int q = (int) (unit * 255f + 0.5f);
                byteRow[x] = (byte) (q < 0 ? 0 : Math.min(q, 255)); // values outside the range saturate
            }
            dst.put(y * stride, byteRow, 0, width);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        visibleTensor.close();
        infraredTensor.close();
        outputTensor.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
        }
    }
}
