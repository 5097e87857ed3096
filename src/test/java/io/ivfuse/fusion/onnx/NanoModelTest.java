package io.ivfuse.fusion.onnx;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * The shipped default model, {@code nano}: the engine contract, its cost and metadata, and a
 * golden test on one RoadScene test pair against its own output stored at a quarter of the size
 * ({@code golden/nano-roadscene-test.png}; regenerate with {@code -Divfuse.golden.update=true}
 * after retraining).
 */
class NanoModelTest extends FusionEngineContract {
    static final Path PAIRS = Path.of("..", "shared", "data", "roadscene", "test");
    static final String PAIR = "FLIR_00977";
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "nano-roadscene-test.png");

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("onnxruntime", EngineOptions.defaults()); // no --model: the embedded nano
    }

    @Test
    void theDefaultModelIsEmbeddedAndPickedByAuto() {
        assertTrue(DefaultModel.isEmbedded(), "models/nano.onnx is in the jar");
        assertTrue(new OnnxRuntimeEngineProvider().canRun(EngineOptions.defaults()));
        try (FusionEngine auto = FusionEngines.create("auto", EngineOptions.defaults())) {
            assertEquals(OnnxRuntimeEngineProvider.NAME, auto.name(), "auto picks onnxruntime with the embedded model");
        }
    }

    @Test
    void nanoIsARealTimeStudent() throws Exception {
        ModelInfo info;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DefaultModel.RESOURCE)) {
            info = ModelInfo.read(in, DefaultModel.RESOURCE);
        }
        ModelConvention c = info.conventionOrNull();
        assertEquals(4, c.sizeMultiple());
        assertTrue(info.macsPerPixel() * 640 * 512 <= 0.5e9, "at most 0.5 GMAC at 640x512: " + info.macsPerPixel());
        assertTrue(info.parameters() < 20_000, "parameters " + info.parameters());
        assertTrue(info.metadata().get(ModelConvention.SOURCE).contains("sage-s"), info.metadata().toString());
    }

    @Test
    void fusesARoadScenePairAsWhenShipped() {
        Path vis = PAIRS.resolve("vis").resolve(PAIR + ".jpg");
        Path ir = PAIRS.resolve("ir").resolve(PAIR + ".jpg");
        assumeTrue(Files.isRegularFile(vis) && Files.isRegularFile(ir), "../shared absent: no " + vis);
        Plane y;
        Plane gray;
        try (Mat v = imread(vis.toString(), IMREAD_COLOR); Mat i = imread(ir.toString(), IMREAD_COLOR);
             Mat ycrcb = new Mat(); Mat luma = new Mat(); Mat g = new Mat()) {
            cvtColor(v, ycrcb, COLOR_BGR2YCrCb);
            opencv_core.extractChannel(ycrcb, luma, 0);
            cvtColor(i, g, COLOR_BGR2GRAY);
            y = plane(luma);
            gray = plane(g);
        }
        Plane fused = Plane.allocate(y.width(), y.height());
        try (FusionEngine engine = createEngine(); FusionSession s = engine.openSession(y.width(), y.height())) {
            s.fuse(y, gray, fused);
        }
        try (Mat full = new Mat(fused.height(), fused.width(), opencv_core.CV_8UC1); Mat small = new Mat()) {
            full.data().put(fused.toArray());
            resize(full, small, new Size(fused.width() / 4, fused.height() / 4), 0, 0, INTER_AREA);
            if (Boolean.getBoolean("ivfuse.golden.update")) {
                imwrite(GOLDEN.toString(), small);
            }
            try (Mat expected = imread(GOLDEN.toString(), IMREAD_GRAYSCALE)) {
                assertEquals(small.cols(), expected.cols());
                assertEquals(small.rows(), expected.rows());
                byte[] a = new byte[small.cols() * small.rows()];
                byte[] b = new byte[a.length];
                small.data().get(a);
                expected.data().get(b);
                double sum = 0;
                int max = 0;
                for (int k = 0; k < a.length; k++) {
                    int d = Math.abs((a[k] & 0xFF) - (b[k] & 0xFF));
                    sum += d;
                    max = Math.max(max, d);
                }
                // Across CPUs ONNX Runtime's float kernels differ in the last bits: allow rounding flips.
                assertTrue(sum / a.length < 0.25 && max <= 2, "mean |diff| " + sum / a.length + ", max " + max);
            }
        }
    }

    private static Plane plane(Mat m) {
        Plane p = Plane.allocate(m.cols(), m.rows());
        byte[] px = new byte[m.cols() * m.rows()];
        m.data().get(px);
        p.fill(px);
        return p;
    }
}
