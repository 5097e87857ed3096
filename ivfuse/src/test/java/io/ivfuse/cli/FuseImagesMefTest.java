package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.job.Natives;
import io.ivfuse.testing.InProcessRun;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ivfuse fuse-images --mode mef}: both folder layouts, and each bad input named with a warning or an error. */
class FuseImagesMefTest {
    private static final int W = 96;
    private static final int H = 64;

    @TempDir
    Path dir;

    @BeforeAll
    static void natives() {
        Natives.opencv();
    }

    private static InProcessRun ivfuse(String... args) {
        return InProcessRun.execute(null, List.of(args));
    }

    @Test
    void bothLayoutsFuseIntoColourImages() {
        Path in = dir.resolve("in");
        write(in.resolve("plain/A.png"), scene(0.4));
        write(in.resolve("plain/B.png"), scene(1.8));
        write(in.resolve("mefb/mefb_A.jpg"), scene(0.4));
        write(in.resolve("mefb/mefb_B.jpg"), scene(1.8));
        Path out = dir.resolve("out");
        for (String engine : List.of("mertens", "mef-lut", "auto")) {
            InProcessRun r = ivfuse("fuse-images", "--mode", "mef", "--pairs", in.toString(), "--engine", engine,
                    "-o", out.resolve(engine).toString());
            assertEquals(0, r.exit(), r.err() + r.log());
            assertTrue(r.err().contains("fused 2 of 2 exposure pairs"), r.err());
            assertFalse(r.err().contains("warning"), r.err());
            for (String name : List.of("plain", "mefb")) {
                try (Mat fused = opencv_imgcodecs.imread(out.resolve(engine).resolve(name + ".png").toString(),
                        opencv_imgcodecs.IMREAD_UNCHANGED)) {
                    assertEquals(3, fused.channels(), engine + " " + name);
                    assertEquals(W, fused.cols());
                    double mean = opencv_core.mean(fused).get(0);
                    assertTrue(mean > mean(scene(0.4)) && mean < mean(scene(1.8)), engine + " " + name + ": mean " + mean);
                }
            }
        }
    }

    @Test
    void repairableInputsAreFusedWithAWarningNamingTheFile() {
        Path in = dir.resolve("in");
        write(in.resolve("sizes/A.png"), scene(0.4));
        try (Mat big = scene(1.8); Mat resized = new Mat(); Size size = new Size(W * 2, H * 2)) {
            opencv_imgproc.resize(big, resized, size);
            write(in.resolve("sizes/B.png"), resized);
        }
        write(in.resolve("same/A.png"), scene(1.0));
        write(in.resolve("same/B.png"), scene(1.0));
        write(in.resolve("black/A.png"), new Mat(H, W, opencv_core.CV_8UC3, new Scalar(0, 0, 0, 0)));
        write(in.resolve("black/B.png"), scene(1.8));
        write(in.resolve("white/A.png"), scene(0.4));
        write(in.resolve("white/B.png"), new Mat(H, W, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0)));
        write(in.resolve("deep/A.tif"), sixteenBit(scene(0.4)));
        write(in.resolve("deep/B.png"), scene(1.8));
        try (Mat colour = scene(0.4); Mat gray = new Mat()) {
            opencv_imgproc.cvtColor(colour, gray, opencv_imgproc.COLOR_BGR2GRAY);
            write(in.resolve("gray/A.png"), gray);
        }
        write(in.resolve("gray/B.png"), scene(1.8));
        write(in.resolve("swapped/A.png"), scene(1.8));
        write(in.resolve("swapped/B.png"), scene(0.4));
        write(in.resolve("ordered/A.png"), scene(0.4));
        write(in.resolve("ordered/B.png"), scene(1.8));
        Path out = dir.resolve("out");
        InProcessRun r = ivfuse("fuse-images", "--mode", "mef", "--pairs", in.toString(), "--engine", "mef-lut",
                "-o", out.toString());
        String err = r.err();
        assertEquals(0, r.exit(), err + r.log());
        assertTrue(err.contains("fused 8 of 8 exposure pairs"), err);
        assertTrue(err.contains("warning: " + in.resolve("sizes/B.png") + " is 192x128 but A.png is 96x64; resized to 96x64"), err);
        assertTrue(err.contains("warning: scene 'same': A.png and B.png are identical (nothing to fuse); fused anyway"), err);
        assertTrue(err.contains("warning: " + in.resolve("black/A.png") + " is all black (mean luminance 0.0); fused anyway"), err);
        assertTrue(err.contains("warning: " + in.resolve("white/B.png") + " is all white (mean luminance 255.0); fused anyway"), err);
        assertTrue(err.contains("warning: " + in.resolve("deep/A.tif") + " is 16-bit; scaled to 8 bits"), err);
        assertTrue(err.contains("warning: " + in.resolve("gray/A.png") + " is gray among colour exposures; converted to colour"), err);
        assertTrue(err.contains("warning: scene 'swapped': A.png (mean luminance"), err);
        for (String name : List.of("sizes", "same", "black", "white", "deep", "gray", "swapped")) {
            try (Mat fused = opencv_imgcodecs.imread(out.resolve(name + ".png").toString())) {
                assertEquals(W, fused.cols(), name);
                assertEquals(H, fused.rows(), name);
            }
        }
        // swapped exposures are put back in order: the same image as the right order gives
        try (Mat swapped = opencv_imgcodecs.imread(out.resolve("swapped.png").toString());
                Mat ordered = opencv_imgcodecs.imread(out.resolve("ordered.png").toString())) {
            assertEquals(0, opencv_core.norm(swapped, ordered, opencv_core.NORM_INF, null));
        }
    }

    @Test
    void anEngineOfTheOtherModeIsABadInput() {
        Path in = dir.resolve("in");
        write(in.resolve("s/A.png"), scene(0.4));
        write(in.resolve("s/B.png"), scene(1.8));
        InProcessRun r = ivfuse("fuse-images", "--mode", "mef", "--pairs", in.toString(), "--engine", "average",
                "-o", dir.resolve("out").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("ivfuse: error: engine 'average' does not support mode mef; MEF engines: onnxruntime, mertens, mef-lut"),
                r.err());
        assertFalse(Files.exists(dir.resolve("out/s.png")));

        Path pairs = dir.resolve("pairs");
        write(pairs.resolve("ir/p.png"), scene(1.0));
        write(pairs.resolve("vis/p.png"), scene(1.0));
        InProcessRun rev = ivfuse("fuse-images", "--pairs", pairs.toString(), "--engine", "mertens",
                "-o", dir.resolve("out2").toString());
        assertEquals(2, rev.exit(), rev.err());
        assertTrue(rev.err().contains("ivfuse: error: engine 'mertens' does not support mode ir-vis; IR-VIS engines: "), rev.err());

        InProcessRun badMode = ivfuse("fuse-images", "--mode", "hdr", "--pairs", in.toString(), "--engine", "auto",
                "-o", dir.resolve("out3").toString());
        assertEquals(2, badMode.exit(), badMode.err());
        assertTrue(badMode.err().contains("--mode: unknown value 'hdr' (use one of ir-vis, mef)"), badMode.err());
    }

    @Test
    void foldersWithoutAPairAreListedAndFailTheRun() {
        Path in = dir.resolve("in");
        write(in.resolve("good/A.png"), scene(0.4));
        write(in.resolve("good/B.png"), scene(1.8));
        write(in.resolve("half/A.png"), scene(0.4));
        InProcessRun r = ivfuse("fuse-images", "--mode", "mef", "--pairs", in.toString(), "--engine", "mef-lut",
                "-o", dir.resolve("out").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("unmatched: half/ (no B exposure"), r.err());
        assertTrue(Files.exists(dir.resolve("out/good.png")), "the good pair is still written");
        InProcessRun none = ivfuse("fuse-images", "--mode", "mef", "--pairs", dir.resolve("nowhere").toString(),
                "--engine", "mef-lut", "-o", dir.resolve("out").toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("ivfuse: error: folder not found: " + dir.resolve("nowhere")), none.err());
    }

    /** A colour test scene (ramps, blocks, a few colours) with its brightness scaled by {@code gain}, clipped. */
    private static Mat scene(double gain) {
        Mat m = new Mat(H, W, opencv_core.CV_8UC3);
        ByteBuffer b = m.createBuffer();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double base = 40 + x * 80.0 / W + ((x / 12 + y / 12) % 2) * 40;
                for (int c = 0; c < 3; c++) {
                    double v = (base + (c == (x / 32) ? 30 : 0)) * gain;
                    b.put((y * W + x) * 3 + c, (byte) Math.min(255, Math.round(v)));
                }
            }
        }
        return m;
    }

    private static double mean(Mat m) {
        try (m) {
            return opencv_core.mean(m).get(0);
        }
    }

    private static Mat sixteenBit(Mat eight) {
        Mat m = new Mat();
        eight.convertTo(m, opencv_core.CV_16U, 257, 0);
        eight.close();
        return m;
    }

    private static void write(Path file, Mat image) {
        try (image) {
            Files.createDirectories(file.getParent());
            assertTrue(opencv_imgcodecs.imwrite(file.toString(), image), "wrote " + file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
