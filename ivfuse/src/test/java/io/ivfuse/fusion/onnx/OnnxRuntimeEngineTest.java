package io.ivfuse.fusion.onnx;

import io.ivfuse.fusion.learned.ReflectionPadding;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeEngineTest extends FusionEngineContract {
    @TempDir
    static Path dir;
    static Path tiny;

    @BeforeAll
    static void buildModel() {
        tiny = dir.resolve("tiny.onnx");
        TestModels.tinyUNet(tiny, 42);
    }

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("onnxruntime", new EngineOptions(tiny, 1, Map.of()));
    }

    @Override
    protected List<Golden> goldens(FusionEngine engine, int width, int height) {
        return List.of(PaddedGolden.of(engine, width, height, 4)); // tinyUNet's size multiple
    }

    @Test
    void paddingToTheSizeMultipleCropsBackExactly() {
        Path model = dir.resolve("identity8.onnx");
        TestModels.identityMultipleOf8(model);
        try (FusionEngine engine = createEngine(model)) {
            for (int[] wh : new int[][] {{17, 13}, {1, 1}, {8, 8}, {63, 5}, {322, 241}}) {
                Plane vis = randomPlane(wh[0], wh[1], 11);
                Plane ir = randomPlane(wh[0], wh[1], 12);
                try (OnnxFusionSession s = (OnnxFusionSession) engine.openSession(wh[0], wh[1])) {
                    assertEquals(0, s.paddedWidth() % 8);
                    assertEquals(0, s.paddedHeight() % 8);
                    assertTrue(s.paddedWidth() - wh[0] < 8 && s.paddedHeight() - wh[1] < 8);
                    Plane out = Plane.allocate(wh[0], wh[1]);
                    s.fuse(vis, ir, out);
                    assertArrayEquals(vis.toArray(), out.toArray(), wh[0] + "x" + wh[1]);
                }
            }
        }
    }

    @Test
    void borderPixelsSeeReflectedPadding() {
        Path model = dir.resolve("box.onnx");
        TestModels.boxBlur(model, 8);
        int w = 17;
        int h = 13;
        Plane vis = randomPlane(w, h, 21);
        Plane out = Plane.allocate(w, h);
        try (FusionEngine engine = createEngine(model); FusionSession s = engine.openSession(w, h)) {
            s.fuse(vis, vis, out);
        }
        int pw = 24;
        int ph = 16;
        int[] cols = ReflectionPadding.indexMap(w, pw);
        int[] rows = ReflectionPadding.indexMap(h, ph);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int px = x + dx;
                        int py = y + dy;
                        if (px >= 0 && py >= 0 && px < pw && py < ph) { // the convolution's own padding is zeros
                            sum += vis.get(cols[px], rows[py]);
                        }
                    }
                }
                int expected = (int) Math.floor(sum / 9 + 0.5);
                int got = out.get(x, y);
                assertTrue(Math.abs(expected - got) <= 1, "pixel " + x + "," + y + ": " + got + " vs " + expected);
            }
        }
    }

    @Test
    void fusedOutputIsNotTrivial() {
        Plane vis = randomPlane(32, 32, 31);
        Plane ir = randomPlane(32, 32, 32);
        try (FusionEngine engine = createEngine()) {
            byte[] a = fuseOnce(engine, vis, ir);
            byte[] b = fuseOnce(engine, ir, vis);
            assertTrue(!java.util.Arrays.equals(a, b), "swapping the inputs changes the output");
            assertTrue(!java.util.Arrays.equals(a, new byte[a.length]), "output is not all zero");
        }
    }

    @Test
    void clearErrorsForMissingOrUnsuitableModels() throws IOException {
        // Without --model the engine runs the embedded default model (see NanoModelTest).
        Path missing = dir.resolve("missing.onnx");
        assertTrue(assertThrows(IvfuseException.class, () -> createEngine(missing)).getMessage().contains("does not exist"));

        Path garbage = dir.resolve("garbage.onnx");
        Files.writeString(garbage, "not a model");
        IvfuseException bad = assertThrows(IvfuseException.class, () -> createEngine(garbage));
        assertTrue(bad.getMessage().contains(garbage.toString()), bad.getMessage());

        Path plain = dir.resolve("plain.onnx");
        TestModels.withoutConvention(plain);
        IvfuseException noMeta = assertThrows(IvfuseException.class, () -> createEngine(plain));
        assertTrue(noMeta.getMessage().contains("ivfuse.inputs"), noMeta.getMessage());

        IvfuseException provider = assertThrows(IvfuseException.class, () -> FusionEngines.create("onnxruntime",
                new EngineOptions(tiny, 0, Map.of("provider", "abacus"))));
        assertTrue(provider.getMessage().contains("provider"), provider.getMessage());
    }

    @Test
    void askingForCudaFromTheCpuBuildSaysWhichBuildHasIt() {
        // The Maven Central onnxruntime artifact is the CPU build; the GPU build has nothing to refuse.
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has the CUDA execution provider");
        IvfuseException cuda = assertThrows(IvfuseException.class, () -> FusionEngines.create("onnxruntime",
                new EngineOptions(tiny, 0, Map.of("provider", "cuda"))));
        assertTrue(cuda.getMessage().contains("cuda execution provider is not available")
                && cuda.getMessage().contains("onnxruntime_gpu"), cuda.getMessage());
    }

    @Test
    void providerIsListedAboveClassicalEnginesAndAvailable() {
        OnnxRuntimeEngineProvider p = new OnnxRuntimeEngineProvider();
        assertTrue(p.isAvailable(), "ONNX Runtime's CPU library loads here");
        assertTrue(FusionEngines.names().contains("onnxruntime"));
        assertEquals(50, p.rank());
    }

    private static FusionEngine createEngine(Path model) {
        return FusionEngines.create("onnxruntime", new EngineOptions(model, 1, Map.of()));
    }
}
