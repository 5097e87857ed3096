package io.ivfuse.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngine;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mef student, its MEF-SSIM loss and a short self-supervised training run on synthetic brackets. */
class MefStudentTest {
    @TempDir
    Path tmp;

    private static float[] toArray(org.bytedeco.pytorch.Tensor t) {
        return Tensors.toArray(t);
    }

    @Test
    void exportedGraphComputesWhatTheTrainingForwardComputes() throws Exception {
        MefStudent mef = new MefStudent(8, 0.5f, 2f, 5, 1.2, 7);
        NanoStudentTest.perturb(mef, 8);
        int h = 36;
        int w = 52;
        float[] under = NanoStudentTest.random(1, h * w);
        float[] over = NanoStudentTest.random(2, h * w);
        float[] torchOut;
        try (NoGradGuard g = new NoGradGuard()) {
            torchOut = toArray(mef.forward(Tensors.of(under, 1, 1, h, w), Tensors.of(over, 1, 1, h, w)).fused());
        }
        float[] onnxOut = NanoStudentTest.runOnnx(mef.toOnnx(Map.of()), "under", under, "over", over, h, w);
        assertEquals(torchOut.length, onnxOut.length);
        double max = 0;
        for (int i = 0; i < torchOut.length; i++) {
            max = Math.max(max, Math.abs(torchOut[i] - onnxOut[i]));
        }
        assertTrue(max < 1e-4, "max |libtorch - onnxruntime| = " + max);
        ModelInfo info = ModelInfo.read(new java.io.ByteArrayInputStream(mef.toOnnx(Map.of()).toByteArray()), "mef");
        assertEquals(ModelConvention.MEF, info.conventionOrNull().mode(), "the export declares mode mef");
    }

    @Test
    void identicalExposuresFuseToThemselves() throws Exception {
        MefStudent mef = new MefStudent(8, 0.5f, 2f, 5, 1.2, 7);
        NanoStudentTest.perturb(mef, 9); // whatever the weights: the two levels sum back, the detail term vanishes
        int h = 32;
        int w = 44;
        float[] a = NanoStudentTest.random(4, h * w);
        var model = mef.toOnnx(Map.of());
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, NanoStudentTest.runOnnx(model, "under", a, "over", a, h, w), 1e-5f);
    }

    @Test
    void mefSsimIsOneForTheBestExposureAndLowerForAWorseImage() {
        int h = 48; // three scales of 11x11 windows need 44 pixels
        int w = 48;
        float[] texture = NanoStudentTest.random(3, h * w);
        float[] flat = new float[h * w];
        java.util.Arrays.fill(flat, 0.9f);
        float[] blurred = new float[h * w];
        for (int i = 0; i < blurred.length; i++) {
            blurred[i] = 0.5f + 0.2f * (texture[i] - 0.5f); // the structure at a fifth of its contrast
        }
        MefSsimLoss loss = new MefSsimLoss();
        try (NoGradGuard g = new NoGradGuard()) {
            var t = Tensors.of(texture, 1, 1, h, w);
            var f = Tensors.of(flat, 1, 1, h, w);
            double best = loss.loss(t, t, f).item_float();
            double weak = loss.loss(Tensors.of(blurred, 1, 1, h, w), t, f).item_float();
            double flatLoss = loss.loss(f, t, f).item_float();
            assertTrue(best < 1e-3, "the textured exposure itself: loss " + best);
            assertTrue(weak > best + 0.05 && flatLoss > weak, "weaker contrast " + weak + ", flat " + flatLoss);
        }
    }

    /** Pictures with texture and smooth brightness ramps, as ir/ + vis/ pairs (the infrared is not used in mode mef). */
    static Path pictures(Path tmp) {
        Path root = tmp.resolve("pictures");
        Random r = new Random(5);
        for (int k = 0; k < 3; k++) {
            int w = 64;
            int h = 48;
            byte[] px = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = Math.min(255, 20 + 3 * x + (((x / 3) + (y / 3)) % 2) * 40 + r.nextInt(10));
                    for (int c = 0; c < 3; c++) {
                        px[3 * (y * w + x) + c] = (byte) v;
                    }
                }
            }
            for (String side : List.of("ir", "vis")) {
                Path f = root.resolve(side).resolve(k + ".png");
                try {
                    Files.createDirectories(f.getParent());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                try (Mat m = new Mat(h, w, opencv_core.CV_8UC3)) {
                    m.data().put(px);
                    opencv_imgcodecs.imwrite(f.toString(), m);
                }
            }
        }
        return root;
    }

    @Test
    void aShortSelfSupervisedRunLowersTheMefLossAndTheExportRunsInModeMef() throws Exception {
        shortRunLowersTheLossAndTheExportRunsInModeMef(tmp, "mef-nano", c -> { });
    }

    /**
     * 60 steps of {@code student} on {@link #pictures} (config changed by {@code tweak}): the mean
     * loss of the last logged steps is below that of the first, and the export runs in mode mef only.
     */
    static Trainer.Result shortRunLowersTheLossAndTheExportRunsInModeMef(Path tmp, String student,
            java.util.function.Consumer<DistillConfig> tweak) throws Exception {
        DistillConfig c = new DistillConfig();
        c.mode = "mef";
        c.student = student;
        c.channels = 8;
        c.teacherCheckpoint = null;
        c.train = List.of(pictures(tmp).toString());
        c.workDir = tmp.resolve("work").toString();
        c.output = tmp.resolve("mef.onnx").toString();
        c.steps = 60;
        c.batch = 4;
        c.crop = 48;
        c.logEvery = 10;
        c.learningRate = 5e-3;
        c.superpixelSize = 8;
        c.swapSources = true;
        c.losses = new DistillConfig.Losses();
        c.losses.teacherMse = 0;
        c.losses.mefSsim = 1;
        c.losses.sourceGradient = 0.2;
        tweak.accept(c);
        c.validate("test");
        Trainer.Result r = Trainer.train(c, line -> { });
        assertTrue(r.log().get(0).contains("mefSsim"), r.log().get(0));
        assertTrue(r.lastLoss() < r.firstLoss(), "loss " + r.firstLoss() + " -> " + r.lastLoss());
        try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.open(new EngineOptions(r.model(), 1, Map.of()), FusionMode.MEF);
             ExposureFusionSession s = engine.openExposureSession(50, 38, 2, true)) {
            YuvPlanes fused = YuvPlanes.allocate(50, 38, true);
            s.fuse(new YuvPlanes[] {YuvPlanes.allocate(50, 38, true), YuvPlanes.allocate(50, 38, true)}, fused);
        }
        IvfuseException wrongMode = assertThrows(IvfuseException.class,
                () -> OnnxRuntimeEngine.open(new EngineOptions(r.model(), 1, Map.of()), FusionMode.IR_VIS));
        assertTrue(wrongMode.getMessage().contains("mef model"), wrongMode.getMessage());
        return r;
    }

    @Test
    void configsRefuseEvaluationSetsAndTheShippedMefConfigLoads() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "mode: mef\nstudent: mef-nano\nteacherCheckpoint: null\ntrain: [../shared/data/mefb/inputs]\n"
                + "losses: {teacherMse: 0, mefSsim: 1}\n");
        assertTrue(assertThrows(IvfuseException.class, () -> DistillConfig.load(bad)).getMessage().contains("held-out"));
        Files.writeString(bad, "mode: mef\nstudent: nano\n");
        assertTrue(assertThrows(IvfuseException.class, () -> DistillConfig.load(bad)).getMessage().contains("mef-nano"));
        DistillConfig shipped = DistillConfig.load(Path.of("configs", "distill-mef.yaml"));
        assertEquals("mef", shipped.mode);
        assertEquals("ivfuse/src/main/resources/models/mef-nano.onnx", shipped.output);
    }
}
