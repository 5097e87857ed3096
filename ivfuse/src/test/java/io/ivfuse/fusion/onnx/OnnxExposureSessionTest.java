package io.ivfuse.fusion.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The onnxruntime engine in mode {@code mef} with the embedded student {@code mef-pyramid}: models of
 * the other mode refused by name, the luminance equal to the network run directly on hand-made
 * tensors (range, reflection padding, clamp and rounding written out here, independently of
 * {@link io.ivfuse.fusion.learned.ModelTranslator}), the student's metadata.
 */
class OnnxExposureSessionTest {

    private static Path resource(String name) throws Exception {
        return Path.of(OnnxExposureSessionTest.class.getClassLoader().getResource(name).toURI());
    }

    @Test
    void aModelOfTheOtherModeIsRefusedWithAClearError() throws Exception {
        IvfuseException irVisInMef = assertThrows(IvfuseException.class, () -> FusionEngines.create("onnxruntime",
                FusionMode.MEF, new EngineOptions(resource(DefaultModel.RESOURCE), 1, Map.of())));
        assertTrue(irVisInMef.getMessage().contains("is a ir-vis model") && irVisInMef.getMessage().contains("mode mef"),
                irVisInMef.getMessage());
        IvfuseException mefInIrVis = assertThrows(IvfuseException.class, () -> FusionEngines.create("onnxruntime",
                FusionMode.IR_VIS, new EngineOptions(resource(DefaultModel.MEF_RESOURCE), 1, Map.of())));
        assertTrue(mefInIrVis.getMessage().contains("is a mef model") && mefInIrVis.getMessage().contains("mode ir-vis"),
                mefInIrVis.getMessage());
        // Without --model each mode gets its own embedded student.
        try (FusionEngine mef = FusionEngines.create("onnxruntime", FusionMode.MEF, EngineOptions.defaults());
             FusionEngine irVis = FusionEngines.create("onnxruntime", FusionMode.IR_VIS, EngineOptions.defaults())) {
            assertEquals(ModelConvention.MEF, ((OnnxRuntimeEngine) mef).convention().mode());
            assertEquals(ModelConvention.IR_VIS, ((OnnxRuntimeEngine) irVis).convention().mode());
            assertThrows(UnsupportedOperationException.class, () -> irVis.openExposureSession(32, 16, 2, true));
        }
        // The student beats mertens on MEFB and is real time (benchmarks/mef.md): auto picks it in mode mef.
        assertEquals("onnxruntime", FusionEngines.provider("auto", FusionMode.MEF, EngineOptions.defaults()).name());
        assertEquals(java.util.List.of("onnxruntime", "mertens", "mef-lut"), FusionEngines.names(FusionMode.MEF));
    }

    @Test
    void theStudentIsSmallAndSelfSupervised() throws Exception {
        ModelInfo info;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DefaultModel.MEF_RESOURCE)) {
            info = ModelInfo.read(in, DefaultModel.MEF_RESOURCE);
        }
        ModelConvention c = info.conventionOrNull();
        assertEquals(ModelConvention.MEF, c.mode());
        assertEquals("under", c.visibleInput());
        assertEquals("over", c.infraredInput());
        assertTrue(info.macsPerPixel() * 640 * 480 <= 0.5e9, "at most 0.5 GMAC at 640x480: " + info.macsPerPixel());
        assertTrue(info.metadata().get(ModelConvention.SOURCE).contains("synthetic brackets"), info.metadata().toString());
    }

    @Test
    void luminanceIsTheNetworkRunOnHandMadeTensors() throws Exception {
        int w = 61; // not multiples of the model's 4: padding and crop are exercised
        int h = 45;
        Random r = new Random(11);
        YuvPlanes under = YuvPlanes.allocate(w, h, true);
        YuvPlanes over = YuvPlanes.allocate(w, h, true);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 3 + y * 2 + r.nextInt(40)) % 256;
                under.y().set(x, y, v / 3);
                over.y().set(x, y, Math.min(255, 90 + v));
            }
        }
        YuvPlanes fused = YuvPlanes.allocate(w, h, true);
        try (FusionEngine engine = FusionEngines.create("onnxruntime", FusionMode.MEF, new EngineOptions(null, 1, Map.of()));
             ExposureFusionSession s = engine.openExposureSession(w, h, 2, true)) {
            s.fuse(new YuvPlanes[] {under, over}, fused);
        }
        int pw = (w + 3) / 4 * 4;
        int ph = (h + 3) / 4 * 4;
        float[] out = runDirectly(padded(under, pw, ph), padded(over, pw, ph), pw, ph);
        int differing = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = Math.max(0f, Math.min(1f, out[y * pw + x]));
                int expected = (int) (v * 255f + 0.5f);
                int d = Math.abs(expected - fused.y().get(x, y));
                assertTrue(d <= 1, "luma at " + x + "," + y + ": " + fused.y().get(x, y) + ", network " + expected);
                differing += d;
            }
        }
        // The same graph on the same floats; only thread-count-dependent float sums could flip a rounding.
        assertTrue(differing <= w * h / 200, differing + " pixels differ by one level");
    }

    /** The plane's luminance in [0, 1], mirrored (edge not repeated) onto the bottom and right up to pw x ph. */
    private static float[] padded(YuvPlanes p, int pw, int ph) {
        int w = p.width();
        int h = p.height();
        float[] t = new float[pw * ph];
        for (int y = 0; y < ph; y++) {
            int sy = y < h ? y : 2 * (h - 1) - y;
            for (int x = 0; x < pw; x++) {
                int sx = x < w ? x : 2 * (w - 1) - x;
                t[y * pw + x] = (float) (p.y().get(sx, sy) / 255.0);
            }
        }
        return t;
    }

    private static float[] runDirectly(float[] under, float[] over, int pw, int ph) throws Exception {
        byte[] model;
        try (InputStream in = OnnxExposureSessionTest.class.getClassLoader().getResourceAsStream(DefaultModel.MEF_RESOURCE)) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, 1, ph, pw};
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor u = OnnxTensor.createTensor(env, FloatBuffer.wrap(under), shape);
             OnnxTensor o = OnnxTensor.createTensor(env, FloatBuffer.wrap(over), shape);
             OrtSession.Result r = s.run(Map.of("under", u, "over", o))) {
            FloatBuffer b = ((OnnxTensor) r.get("fused").get()).getFloatBuffer();
            float[] a = new float[b.remaining()];
            b.get(a);
            return a;
        }
    }
}
