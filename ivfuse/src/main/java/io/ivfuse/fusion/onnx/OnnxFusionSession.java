package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One fusion thread's ONNX Runtime session for one frame size. The input and output tensors wrap
 * direct buffers allocated here once: ONNX Runtime reads the inputs from, and writes the output
 * into, the same memory every frame ({@code run} with pinned outputs), so the per-frame work is
 * the shared {@link ModelTranslator}'s byte-to-float conversion with reflection padding, the network,
 * and the translator's crop + activation + rounding.
 */
final class OnnxFusionSession implements FusionSession {
    private final OrtSession session;
    private final ModelTranslator translator;
    private final FloatBuffer visible;
    private final FloatBuffer infrared;
    private final FloatBuffer output;
    private final OnnxTensor visibleTensor;
    private final OnnxTensor infraredTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private boolean closed;

    OnnxFusionSession(OrtEnvironment env, OrtSession session, ModelConvention convention, String outputName,
                      int width, int height) throws OrtException {
        this.session = session;
        this.translator = new ModelTranslator(convention, width, height);
        long[] shape = translator.tensorShape();
        int n = translator.tensorElements();
        visible = directFloats(n);
        infrared = directFloats(n);
        output = directFloats(n);
        visibleTensor = OnnxTensor.createTensor(env, visible, shape);
        infraredTensor = OnnxTensor.createTensor(env, infrared, shape);
        outputTensor = OnnxTensor.createTensor(env, output, shape);
        inputs = Map.of(convention.visibleInput(), visibleTensor, convention.infraredInput(), infraredTensor);
        outputs = Map.of(outputName, outputTensor);
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    int paddedWidth() {
        return translator.paddedWidth();
    }

    int paddedHeight() {
        return translator.paddedHeight();
    }

    @Override
    public void fuse(Plane visibleY, Plane ir, Plane fused) {
        if (closed) {
            throw new IllegalStateException("onnxruntime session is closed");
        }
        translator.checkPlanes(visibleY, ir, fused);
        translator.toInput(visibleY, visible);
        translator.toInput(ir, infrared);
        try {
            // The fused tensor is now in `output`; closing the result leaves pinned outputs open.
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IvfuseException("onnxruntime engine: the network failed on a " + translator.width() + "x"
                    + translator.height() + " frame: " + e.getMessage(), e);
        }
        translator.fromOutput(output, fused);
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
