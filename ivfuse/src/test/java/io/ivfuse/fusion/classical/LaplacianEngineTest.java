package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LaplacianEngineTest extends FusionEngineContract {
    private static final int W = 128;
    private static final int H = 96;

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("laplacian", EngineOptions.defaults());
    }

    @Override
    protected List<Golden> goldens(FusionEngine engine, int width, int height) {
        Plane scene = randomPlane(width, height, 5);
        return List.of(
                new Golden("constant planes 60 and 200: no detail, the coarsest level averaged", constantPlane(width, height, 60),
                        constantPlane(width, height, 200), constantPlane(width, height, 130), 0),
                new Golden("one scene seen alike by both: the pyramid collapses back to it", scene, scene, scene, 0));
    }

    private static FusionEngine engineWith(Map<String, String> params) {
        return FusionEngines.create("laplacian", new EngineOptions(null, 0, params));
    }

    private static Plane constant(int value) {
        Plane p = Plane.allocate(W, H);
        byte[] px = new byte[W * H];
        java.util.Arrays.fill(px, (byte) value);
        p.fill(px);
        return p;
    }

    @Test
    void keepsAStepEdgeFromEitherSource() {
        // Infrared: a vertical step 40 -> 200 at x = 64. Visible: a horizontal step 60 -> 180 at y = 48.
        Plane ir = Plane.allocate(W, H);
        Plane vis = Plane.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                ir.set(x, y, x < 64 ? 40 : 200);
                vis.set(x, y, y < 48 ? 60 : 180);
            }
        }
        try (FusionEngine engine = createEngine()) {
            Plane fused = Plane.allocate(W, H);
            fused.fill(fuseOnce(engine, vis, ir));
            // Across each edge, 2 pixels either side, away from the other edge; the average engine keeps half.
            int irStep = 160;
            int visStep = 120;
            for (int y : new int[] {10, 30, 70, 85}) {
                int contrast = fused.get(65, y) - fused.get(62, y);
                assertTrue(contrast >= 0.8 * irStep, "row " + y + ": infrared edge kept only " + contrast + " of " + irStep);
            }
            for (int x : new int[] {10, 40, 90, 120}) {
                int contrast = fused.get(x, 49) - fused.get(x, 46);
                assertTrue(contrast >= 0.8 * visStep, "column " + x + ": visible edge kept only " + contrast + " of " + visStep);
            }
        }
    }

    @Test
    void constantInputsGiveAConstantOutput() {
        try (FusionEngine engine = createEngine()) {
            for (int v : new int[] {0, 77, 255}) {
                byte[] out = fuseOnce(engine, constant(v), constant(v));
                for (int i = 0; i < out.length; i++) {
                    assertEquals(v, out[i] & 0xFF, "pixel " + i + " for constant " + v);
                }
            }
            byte[] mixed = fuseOnce(engine, constant(50), constant(150));
            for (int i = 0; i < mixed.length; i++) {
                assertEquals(100, mixed[i] & 0xFF, "pixel " + i + " for constants 50 and 150");
            }
        }
    }

    @Test
    void identicalInputsComeBackUnchanged() {
        Random random = new Random(31);
        Plane image = Plane.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double smooth = 128 + 90 * Math.sin(x / 9.0) * Math.cos(y / 13.0);
                image.set(x, y, (int) Math.max(0, Math.min(255, smooth + random.nextGaussian() * 20)));
            }
        }
        Plane copy = Plane.allocate(W, H);
        copy.copyFrom(image);
        for (int levels : new int[] {1, 3, 4, 6}) {
            try (FusionEngine engine = engineWith(Map.of("levels", String.valueOf(levels)))) {
                byte[] out = fuseOnce(engine, image, copy);
                byte[] in = image.toArray();
                for (int i = 0; i < out.length; i++) {
                    assertTrue(Math.abs((out[i] & 0xFF) - (in[i] & 0xFF)) <= 1,
                            levels + " levels, pixel " + i + ": " + (out[i] & 0xFF) + " vs " + (in[i] & 0xFF));
                }
            }
        }
    }

    @Test
    void pixelWiseSelectionWithoutAnActivityWindowAlsoKeepsEdges() {
        Plane ir = Plane.allocate(W, H);
        Plane vis = constant(128);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                ir.set(x, y, x < 64 ? 40 : 200);
            }
        }
        try (FusionEngine engine = engineWith(Map.of("window", "1"))) {
            Plane fused = Plane.allocate(W, H);
            fused.fill(fuseOnce(engine, vis, ir));
            int contrast = fused.get(65, 40) - fused.get(62, 40);
            assertTrue(contrast >= 0.8 * 160, "infrared edge kept only " + contrast + " of 160");
        }
    }

    @Test
    void levelsShrinkForSmallFrames() {
        assertEquals(4, LaplacianPyramidSession.levelSizes(640, 480, 4).size());
        assertEquals(7, LaplacianPyramidSession.levelSizes(640, 480, 7).size());
        assertEquals(1, LaplacianPyramidSession.levelSizes(1, 1, 4).size());
        assertEquals(2, LaplacianPyramidSession.levelSizes(17, 13, 4).size());
        int[] coarsest = LaplacianPyramidSession.levelSizes(17, 13, 4).get(1);
        assertEquals(9, coarsest[0]);
        assertEquals(7, coarsest[1]);
    }

    @Test
    void badParametersAreReportedByName() {
        IvfuseException zero = assertThrows(IvfuseException.class, () -> engineWith(Map.of("levels", "0")));
        assertTrue(zero.getMessage().contains("'levels'"), zero.getMessage());
        assertThrows(IvfuseException.class, () -> engineWith(Map.of("levels", "four")));
        IvfuseException even = assertThrows(IvfuseException.class, () -> engineWith(Map.of("window", "4")));
        assertTrue(even.getMessage().contains("'window'"), even.getMessage());
    }

    @Test
    void fusingAllocatesNothingOnceWarm() {
        try (FusionEngine engine = createEngine(); FusionSession s = engine.openSession(640, 480)) {
            double perCall = AllocationProbe.bytesPerFuse(s, randomPlane(640, 480, 1), randomPlane(640, 480, 2),
                    Plane.allocate(640, 480), 100);
            assertTrue(perCall < 1024, perCall + " bytes allocated per fuse");
        }
    }
}
