package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.source.LumaRange;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pixels of a frame survive the whole path of {@code ivfuse run} (decoder, input queue, ring,
 * fusion, encoder) exactly, with lossless FFV1 in and out, whichever way the decoder's picture
 * reaches the queue slot: copied as it is (yuv420p visible), converted by swscale straight into
 * the slot or through the decoder's own buffer (yuv444p at a 16-aligned and at an unaligned
 * size), or taken as the luma plane (yuv420p and gray IR).
 *
 * <p>The visible picture is compared with what the decoder's own conversion gives
 * ({@link TestVideos#readYuv}); the visible luma makes a round trip to full range and back, which is
 * the identity on video range. Frames of 100x60 have chroma rows of 50 bytes, so a stride mix-up
 * shows.
 */
class FramePathExactnessTest {
    private static final int FRAMES = 8;

    @TempDir
    Path dir;

    /** {@code source}: a lavfi source and its options so far, e.g. "testsrc2=" or "color=c=black:". */
    private Path lavfi(String name, String source, int w, int h, String pixelFormat) {
        Path file = dir.resolve(name);
        FfmpegCli.Result r = FfmpegCli.run(60, "-v", "error", "-f", "lavfi", "-i", source + "size=" + w + "x" + h + ":rate=30",
                "-frames:v", Integer.toString(FRAMES), "-pix_fmt", pixelFormat, "-c:v", "ffv1", file.toString());
        assertEquals(0, r.exitCode(), r.output());
        return file;
    }

    private List<byte[]> fuse(Path vis, Path ir, String engine) {
        Path out = dir.resolve("out-" + engine + "-" + System.nanoTime() + ".mkv");
        InProcessRun r = InProcessRun.execute(null, List.of("run", "--vis", vis.toString(), "--ir", ir.toString(),
                "--engine", engine, "--codec", "ffv1", "--progress", "off", "-o", out.toString()));
        assertEquals(0, r.exit(), r.err() + r.log());
        return TestVideos.readYuv(out);
    }

    /** Visible frames through passthrough: luma round-tripped through full range, chroma exactly. */
    private void assertVisibleReproduced(int w, int h, String pixelFormat) {
        Path vis = lavfi("vis-" + pixelFormat + w + ".mkv", "testsrc2=", w, h, pixelFormat);
        Path ir = lavfi("ir-" + w + ".mkv", "testsrc=", w, h, "yuv420p");
        List<byte[]> expected = TestVideos.readYuv(vis);
        List<byte[]> out = fuse(vis, ir, "passthrough");
        assertEquals(FRAMES, out.size(), "output frames");
        for (int i = 0; i < FRAMES; i++) {
            byte[] e = expected.get(i);
            for (int p = 0; p < w * h; p++) {
                e[p] = (byte) LumaRange.toLimited(LumaRange.toFull(e[p] & 0xff));
            }
            assertSame(e, out.get(i), pixelFormat + " " + w + "x" + h + " frame " + i, w * h);
        }
    }

    @Test
    void passthroughReproducesYuv420pVisibleFrames() {
        assertVisibleReproduced(100, 60, "yuv420p");
    }

    @Test
    void passthroughReproducesConvertedVisibleFramesAtAlignedAndUnalignedSizes() {
        assertVisibleReproduced(64, 48, "yuv444p");
        assertVisibleReproduced(100, 60, "yuv444p");
    }

    /** Over a black visible frame, {@code max} shows the IR frame: its luma, to full range and back. */
    @Test
    void infraredLumaReachesTheOutputExactly() {
        int w = 100;
        int h = 60;
        Path black = lavfi("black.mkv", "color=c=black:", w, h, "yuv420p");
        List<byte[]> blackYuv = TestVideos.readYuv(black);
        for (String pixelFormat : List.of("yuv420p", "yuv444p", "gray")) {
            Path ir = lavfi("ir-" + pixelFormat + ".mkv", "testsrc2=", w, h, pixelFormat);
            // Full-range gray as the decoder gives it (for yuv, the limited luma expanded).
            List<byte[]> gray = TestVideos.readGray(ir);
            List<byte[]> out = fuse(black, ir, "max");
            assertEquals(FRAMES, out.size(), "output frames");
            for (int i = 0; i < FRAMES; i++) {
                byte[] expected = blackYuv.get(i).clone(); // its chroma
                for (int p = 0; p < w * h; p++) {
                    expected[p] = (byte) LumaRange.toLimited(gray.get(i)[p] & 0xff);
                }
                assertSame(expected, out.get(i), "IR " + pixelFormat + " frame " + i, w * h);
            }
            if (!pixelFormat.equals("gray")) {
                List<byte[]> luma = TestVideos.readLuma(ir);
                for (int p = 0; p < w * h; p++) {
                    assertEquals(LumaRange.toFull(luma.get(0)[p] & 0xff), gray.get(0)[p] & 0xff,
                            "IR " + pixelFormat + ": gray is the luma in full range, pixel " + p);
                }
            }
        }
    }

    /** Compares the first {@code n} bytes, naming the first difference (assertArrayEquals would dump both). */
    private static void assertSame(byte[] expected, byte[] actual, String what, int n) {
        for (int p = 0; p < n; p++) {
            if (expected[p] != actual[p]) {
                throw new AssertionError(what + ": byte " + p + " is " + (actual[p] & 0xff) + ", expected " + (expected[p] & 0xff));
            }
        }
        assertEquals(expected.length, actual.length, what + ": picture size");
        for (int p = n; p < expected.length; p++) {
            if (expected[p] != actual[p]) {
                throw new AssertionError(what + ": chroma byte " + (p - n) + " is " + (actual[p] & 0xff) + ", expected "
                        + (expected[p] & 0xff));
            }
        }
    }
}
