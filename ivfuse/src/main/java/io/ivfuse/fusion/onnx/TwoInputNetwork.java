package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session of a two-input fusion network for one frame size, as both modes run it
 * (visible + infrared, or under- + over-exposure luminance). The input and output tensors wrap
 * direct buffers allocated here once: ONNX Runtime reads the inputs from, and writes the output
 * into, the same memory every frame ({@code run} with pinned outputs), so the per-frame work is
 * the shared {@link ModelTranslator}'s byte-to-float conversion with reflection padding, the
 * network, and the translator's crop + activation + rounding. Owns the session.
 */
final class TwoInputNetwork implements AutoCloseable {
    private final OrtSession session;
    private final ModelTranslator translator;
    private final FloatBuffer first;
    private final FloatBuffer second;
    private final FloatBuffer output;
    private final OnnxTensor firstTensor;
    private final OnnxTensor secondTensor;
    private final OnnxTensor outputTensor;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    TwoInputNetwork(OrtEnvironment env, OrtSession session, ModelConvention convention, String outputName,
                    int width, int height) throws OrtException {
        this.session = session;
        this.translator = new ModelTranslator(convention, width, height);
        long[] shape = translator.tensorShape();
        int n = translator.tensorElements();
        first = directFloats(n);
        second = directFloats(n);
        output = directFloats(n);
        firstTensor = OnnxTensor.createTensor(env, first, shape);
        secondTensor = OnnxTensor.createTensor(env, second, shape);
        outputTensor = OnnxTensor.createTensor(env, output, shape);
        inputs = Map.of(convention.visibleInput(), firstTensor, convention.infraredInput(), secondTensor);
        outputs = Map.of(outputName, outputTensor);
        // One run on the zeroed tensors now: ONNX Runtime plans its memory and packs the weights on a
        // session's first run (several hundred ms on 2 cores for mef-pyramid at 640x480), which would
        // otherwise stall the first frame of every fusion thread.
        try {
            session.run(inputs, outputs).close();
        } catch (OrtException | RuntimeException e) {
            closeTensors(); // the caller closes the session
            throw e;
        }
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    ModelTranslator translator() {
        return translator;
    }

    /** Runs the network on two planes of the session's size into {@code fused}. */
    void run(Plane a, Plane b, Plane fused) {
        translator.toInput(a, first);
        translator.toInput(b, second);
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
        closeTensors();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
        }
    }

    private void closeTensors() {
        firstTensor.close();
        secondTensor.close();
        outputTensor.close();
    }
}
