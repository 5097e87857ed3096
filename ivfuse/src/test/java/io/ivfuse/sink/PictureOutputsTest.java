package io.ivfuse.sink;

import static io.ivfuse.sink.OutputTesting.ivfuseOk;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picture outputs of one run, checked against each other and the inputs: a lossless fused
 * video, the IR | visible | fused side-by-side, and a PNG folder.
 */
class PictureOutputsTest {
    static final int W = 64;
    static final int H = 48;
    static final int FRAMES = 10;
    static final int CW = W / 2;
    static final int CH = H / 2;

    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;
    static Path fused;
    static Path sideBySide;
    static Path png;
    static OutputTesting.Run run;

    @BeforeAll
    static void runOnce() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), W, H, 30, FRAMES, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 40 + 2 * x + i);
        fused = dir.resolve("fused.mkv");
        sideBySide = dir.resolve("side-by-side.mkv");
        png = dir.resolve("png");
        run = ivfuseOk(dir, "--ir", ir.toString(), "--vis", vis.toString(), "-o", fused.toString(), "-o", png + "/",
                "--side-by-side", sideBySide.toString(), "--engine", "max", "--codec", "ffv1");
    }

    @Test
    void everyOutputCountsEveryFrame() {
        assertEquals(FRAMES, run.summary().get("frames_out").asInt());
        JsonNode outputs = run.summary().get("outputs");
        assertEquals(3, outputs.size(), outputs.toString());
        outputs.forEach(o -> assertEquals(FRAMES, o.get("frames").asInt(), o.toString()));
    }

    @Test
    void theSideBySideShowsTheRegisteredIrTheVisibleAndTheFusedFrame() {
        assertEquals(3 * W + "x" + H, FfmpegCli.dimensions(sideBySide.toString()));
        List<byte[]> panels = TestVideos.readYuv(sideBySide);
        List<byte[]> irIn = TestVideos.readYuv(ir);
        List<byte[]> visIn = TestVideos.readYuv(vis);
        List<byte[]> fusedOut = TestVideos.readYuv(fused);
        assertEquals(FRAMES, panels.size());
        for (int k = 0; k < FRAMES; k++) {
            byte[] p = panels.get(k);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    String at = "frame " + k + " (" + x + ", " + y + ")";
                    // IR and visible go to full range and back for the panels: one level of rounding.
                    assertEquals(irIn.get(k)[y * W + x] & 0xFF, p[y * 3 * W + x] & 0xFF, 1, "left = registered IR, " + at);
                    assertEquals(visIn.get(k)[y * W + x] & 0xFF, p[y * 3 * W + W + x] & 0xFF, 1, "middle = visible, " + at);
                    assertEquals(fusedOut.get(k)[y * W + x], p[y * 3 * W + 2 * W + x], "right = fused, " + at);
                }
            }
            for (int plane = 0; plane < 2; plane++) {
                int from = 3 * W * H + plane * 3 * CW * CH;
                int in = W * H + plane * CW * CH;
                for (int y = 0; y < CH; y++) {
                    for (int x = 0; x < CW; x++) {
                        String at = "frame " + k + " chroma " + plane + " (" + x + ", " + y + ")";
                        assertEquals(128, p[from + y * 3 * CW + x] & 0xFF, "the IR panel is gray, " + at);
                        assertEquals(visIn.get(k)[in + y * CW + x], p[from + y * 3 * CW + CW + x], "visible colour, " + at);
                        assertEquals(visIn.get(k)[in + y * CW + x], p[from + y * 3 * CW + 2 * CW + x], "fused colour, " + at);
                    }
                }
            }
        }
    }

    @Test
    void thePngFolderHoldsEveryFusedFrameInColourUnderItsNumber() throws Exception {
        List<String> names;
        try (Stream<Path> files = Files.list(png)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(Stream.iterate(0, i -> i + 1).limit(FRAMES).map(i -> String.format("frame_%06d.png", i)).toList(), names);
        List<byte[]> fusedOut = TestVideos.readYuv(fused);
        for (int k = 0; k < FRAMES; k++) {
            File f = png.resolve(names.get(k)).toFile();
            try (Mat image = imread(f.toString(), IMREAD_UNCHANGED);
                 Mat yuv = new Mat(H * 3 / 2, W, opencv_core.CV_8UC1, new BytePointer(fusedOut.get(k)));
                 Mat bgr = new Mat()) {
                assertEquals(W + "x" + H + "x3", image.cols() + "x" + image.rows() + "x" + image.channels(), f.toString());
                cvtColor(yuv, bgr, COLOR_YUV2BGR_I420);
                byte[] expected = new byte[W * H * 3];
                byte[] actual = new byte[expected.length];
                bgr.data().get(expected);
                image.data().get(actual);
                assertArrayEquals(expected, actual, f + " is fused frame " + k + " in BGR");
                assertEquals(false, Arrays.equals(actual, new byte[actual.length]), "not black");
            }
        }
    }
}
