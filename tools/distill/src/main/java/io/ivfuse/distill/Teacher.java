package io.ivfuse.distill;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.learned.ReflectionPadding;
import io.ivfuse.model.SageImporter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The teacher network (the SAGE student, "sage-s", imported with its features x1..x5), run by ONNX
 * Runtime to produce distillation targets: the fused image and the quarter-resolution features x3.
 */
final class Teacher implements AutoCloseable {
    static final int MULTIPLE = 4;

    /** What the teacher produced for one image. */
    record Targets(float[] fused, float[] features, int channels, int featureWidth, int featureHeight) {
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private boolean closed;

    private Teacher(OrtSession session) {
        this.session = session;
    }

    /** Imports {@code checkpoint} (with features) into {@code workDir} unless already there, and opens it. */
    static Teacher fromSageCheckpoint(Path checkpoint, Path workDir, int threads) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new IvfuseException("teacher checkpoint " + checkpoint + " does not exist");
        }
        Path model = workDir.resolve("sage-s-features.onnx");
        if (!Files.isRegularFile(model)) {
            SageImporter.importCheckpoint(checkpoint, model, true);
        }
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new Teacher(OrtEnvironment.getEnvironment().createSession(model.toString(), so));
        } catch (OrtException e) {
            throw new IvfuseException("teacher model " + model + " cannot be read by ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** Runs the teacher on one pair (values in [0, 1]), padding by reflection to a multiple of 4. */
    Targets run(float[] visible, float[] infrared, int width, int height) {
        int pw = (width + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
        int ph = (height + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
        long[] shape = {1, 1, ph, pw};
        try (OnnxTensor v = OnnxTensor.createTensor(env, FloatBuffer.wrap(pad(visible, width, height, pw, ph)), shape);
             OnnxTensor i = OnnxTensor.createTensor(env, FloatBuffer.wrap(pad(infrared, width, height, pw, ph)), shape);
             OrtSession.Result r = session.run(Map.of("vi", v, "ir", i))) {
            FloatBuffer fusedBuf = ((OnnxTensor) r.get("fused").orElseThrow()).getFloatBuffer();
            OnnxTensor x3 = (OnnxTensor) r.get("x3").orElseThrow();
            long[] s = x3.getInfo().getShape();
            float[] fused = new float[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    fused[y * width + x] = Math.max(0f, Math.min(1f, fusedBuf.get(y * pw + x)));
                }
            }
            FloatBuffer fb = x3.getFloatBuffer();
            float[] features = new float[fb.remaining()];
            fb.get(features);
            return new Targets(fused, features, (int) s[1], (int) s[3], (int) s[2]);
        } catch (OrtException e) {
            throw new IvfuseException("teacher failed on a " + width + "x" + height + " image: " + e.getMessage(), e);
        }
    }

    /** Bottom/right reflection padding (edge not repeated), exactly as the onnxruntime engine pads frames. */
    static float[] pad(float[] src, int w, int h, int pw, int ph) {
        int[] columns = ReflectionPadding.indexMap(w, pw);
        int[] rows = ReflectionPadding.indexMap(h, ph);
        float[] out = new float[pw * ph];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                out[y * pw + x] = src[rows[y] * w + columns[x]];
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the teacher session failed: " + e.getMessage(), e);
        }
    }
}
