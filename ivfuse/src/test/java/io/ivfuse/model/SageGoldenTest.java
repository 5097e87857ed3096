package io.ivfuse.model;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngine;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the authors' SAGE checkpoint, fuses their six test pairs through the onnxruntime engine
 * with their pre- and post-processing (ARCH.md), and compares with the images they published.
 */
class SageGoldenTest {
    static final String CHECKPOINT = "models/sage/checkpoints.pt";

    @TempDir
    Path tmp;

    @Test
    void importedStudentReproducesTheAuthorsResults() {
        List<String> files = new ArrayList<>(List.of(CHECKPOINT));
        for (int i = 0; i < 6; i++) {
            String name = String.format("%05d.png", i);
            files.addAll(List.of("models/sage/test/ir/" + name, "models/sage/test/vis/" + name, "models/sage/result/" + name));
        }
        Path checkpoint = SharedFiles.requireAll(files).get(0);
        Path sage = SharedFiles.ROOT.resolve("models/sage");
        Path onnx = tmp.resolve("sage-s.onnx");
        SageImporter.Result imported = SageImporter.importCheckpoint(checkpoint, onnx, false);
        assertEquals(121, imported.checkpointTensors());
        assertEquals(32, imported.dim());

        try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.open(new EngineOptions(onnx, 0, Map.of()))) {
            FusionSession session = null;
            StringBuilder report = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                String name = String.format("%05d.png", i);
                Mat irBgr = read(sage.resolve("test/ir/" + name));
                Mat visBgr = read(sage.resolve("test/vis/" + name));
                Mat expected = read(sage.resolve("result/" + name));
                Mat irGray = new Mat();
                cvtColor(irBgr, irGray, COLOR_BGR2GRAY);
                Mat ycrcb = new Mat();
                cvtColor(visBgr, ycrcb, COLOR_BGR2YCrCb);
                int w = visBgr.cols();
                int h = visBgr.rows();
                byte[] ycc = bytes(ycrcb, w * h * 3);
                byte[] y = new byte[w * h];
                for (int p = 0; p < w * h; p++) {
                    y[p] = ycc[3 * p];
                }
                Plane vis = Plane.allocate(w, h);
                vis.fill(y);
                Plane ir = Plane.allocate(w, h);
                ir.fill(bytes(irGray, w * h));
                Plane fused = Plane.allocate(w, h);
                if (session == null) {
                    session = engine.openSession(w, h);
                }
                session.fuse(vis, ir, fused);
                byte[] fy = fused.toArray();
                byte[] want = bytes(expected, w * h * 3);
                long sum = 0;
                int max = 0;
                for (int p = 0; p < w * h; p++) {
                    float yy = (fy[p] & 0xFF) / 255f;
                    float cr = (ycc[3 * p + 1] & 0xFF) / 255f - 0.5f;
                    float cb = (ycc[3 * p + 2] & 0xFF) / 255f - 0.5f;
                    int[] bgr = {
                        to8(yy + 1.773f * cb),
                        to8(yy - 0.714f * cr - 0.344f * cb),
                        to8(yy + 1.403f * cr)};
                    for (int c = 0; c < 3; c++) {
                        int d = Math.abs(bgr[c] - (want[3 * p + c] & 0xFF));
                        sum += d;
                        max = Math.max(max, d);
                    }
                }
                double mean = sum / (3.0 * w * h);
                report.append(String.format("%s: mean %.3f max %d%n", name, mean, max));
                assertTrue(mean <= 1.0 && max <= 8, () -> name + " differs from the authors' result: " + report);
            }
            session.close();
            System.out.print("SAGE golden check (engine, 8-bit Y):\n" + report);
        }
    }

    private static int to8(float v) {
        return (int) (Math.max(0f, Math.min(1f, v)) * 255f + 0.5f);
    }

    private static Mat read(Path p) {
        Mat m = imread(p.toString(), IMREAD_COLOR);
        assertFalse(m.empty(), "cannot read " + p);
        return m;
    }

    private static byte[] bytes(Mat m, int n) {
        assertTrue(m.isContinuous());
        byte[] b = new byte[n];
        m.data().get(b);
        return b;
    }
}
