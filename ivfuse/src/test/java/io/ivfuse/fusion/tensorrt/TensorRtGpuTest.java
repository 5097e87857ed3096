package io.ivfuse.fusion.tensorrt;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tensorrt engine on a GPU: enabled only where CUDA and TensorRT load (a -Pgpu build on a machine
 * with the driver, CUDA 13.1 and TensorRT 10.15; benchmarks/gpu-check.sh). Skipped elsewhere, with
 * the probe's reason. Not yet run on hardware: see README, GPU engine.
 */
class TensorRtGpuTest {
    /** RoadScene test pairs: comparison only (nothing is tuned on them). */
    private static final List<String> PAIRS = List.of("FLIR_00211", "FLIR_00977", "FLIR_01130");

    @TempDir
    Path cache;

    @BeforeEach
    void needsAGpu() {
        GpuFacts.Verdict v = GpuProbe.facts().verdict();
        assumeTrue(v.available(), "tensorrt is not available here: " + v.detail());
    }

    private EngineOptions options(String precision) {
        return new EngineOptions(null, 0, Map.of(TensorRtEngine.PRECISION, precision, TensorRtEngine.CACHE_DIR, cache.toString()));
    }

    private static Plane read(Path file) {
        Mat m = imread(file.toString(), IMREAD_GRAYSCALE);
        Plane p = Plane.allocate(m.cols(), m.rows());
        byte[] px = new byte[m.cols() * m.rows()];
        m.data().get(px);
        p.fill(px);
        m.close();
        return p;
    }

    /** Max |TensorRT - ONNX Runtime CPU| over the pairs, with the embedded nano model. */
    private int maxDifference(String precision) {
        int max = 0;
        try (FusionEngine trt = FusionEngines.create("tensorrt", options(precision));
             FusionEngine cpu = FusionEngines.create("onnxruntime", EngineOptions.defaults())) {
            for (String pair : PAIRS) {
                List<Path> files = SharedFiles.requireAll("data/roadscene/test/vis/" + pair + ".jpg",
                        "data/roadscene/test/ir/" + pair + ".jpg");
                Plane vis = read(files.get(0));
                Plane ir = read(files.get(1));
                Plane a = Plane.allocate(vis.width(), vis.height());
                Plane b = Plane.allocate(vis.width(), vis.height());
                try (FusionSession s = trt.openSession(vis.width(), vis.height());
                     FusionSession c = cpu.openSession(vis.width(), vis.height())) {
                    s.fuse(vis, ir, a);
                    c.fuse(vis, ir, b);
                }
                for (int y = 0; y < vis.height(); y++) {
                    for (int x = 0; x < vis.width(); x++) {
                        max = Math.max(max, Math.abs(a.get(x, y) - b.get(x, y)));
                    }
                }
            }
        }
        System.out.println("tensorrt " + precision + " vs onnxruntime cpu, max |diff| " + max + " over " + PAIRS);
        return max;
    }

    @Test
    void fp32MatchesOnnxRuntimeWithinOneGrayLevel() {
        int max = maxDifference("fp32");
        assertTrue(max <= 1, "max |diff| " + max);
    }

    @Test
    void fp16MatchesOnnxRuntimeWithinThreeGrayLevels() {
        int max = maxDifference("fp16");
        assertTrue(max <= 3, "max |diff| " + max);
    }

    private long engineFiles() throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".engine")).count();
        }
    }

    @Test
    void secondStartLoadsTheCachedEngineAndALargerFrameGetsItsOwn() throws Exception {
        Plane p = Plane.allocate(64, 48);
        try (FusionEngine e = FusionEngines.create("tensorrt", options("fp32")); FusionSession s = e.openSession(64, 48)) {
            s.fuse(p, p, Plane.allocate(64, 48));
        }
        assertEquals(1, engineFiles());
        Path file = Files.list(cache).filter(f -> f.toString().endsWith(".engine")).findFirst().orElseThrow();
        long written = Files.getLastModifiedTime(file).toMillis();
        try (FusionEngine e = FusionEngines.create("tensorrt", options("fp32"))) {
            try (FusionSession s = e.openSession(64, 48)) {
                s.fuse(p, p, Plane.allocate(64, 48));
            }
            assertEquals(written, Files.getLastModifiedTime(file).toMillis(), "the second start loads, not rebuilds");
            try (FusionSession big = e.openSession(128, 96)) {
                big.fuse(Plane.allocate(128, 96), Plane.allocate(128, 96), Plane.allocate(128, 96));
            }
            assertEquals(2, engineFiles(), "a frame beyond the profile's maximum gets an engine of its own");
        }
        Files.write(file, new byte[] {1, 2, 3});
        try (FusionEngine e = FusionEngines.create("tensorrt", options("fp32")); FusionSession s = e.openSession(64, 48)) {
            s.fuse(p, p, Plane.allocate(64, 48));
        }
        assertTrue(Files.size(file) > 3, "a corrupt cache file is rebuilt");
    }
}
