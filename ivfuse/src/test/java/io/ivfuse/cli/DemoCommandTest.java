package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ivfuse demo}, the README's first command, end to end through Main. */
class DemoCommandTest {
    static final int W = 640;
    static final int H = 480;

    @Test
    void filmsFusesAndSaysWhereEverythingIs(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("demo");
        Path fused = dir.resolve("fused.mp4");
        Result r = ivfuse("demo", "-o", fused.toString(), "--seconds", "1");
        assertEquals(0, r.exit(), r.err());

        Path sideBySide = dir.resolve("side-by-side.mp4");
        Path visible = dir.resolve("visible.mp4");
        Path metrics = dir.resolve("metrics.json");
        for (Path p : List.of(fused, sideBySide, visible, dir.resolve("infrared.mp4"), dir.resolve("demo-calibration.yaml"), metrics)) {
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, p + " written");
            assertTrue(r.out().contains(p.toAbsolutePath().toString()), "the demo names " + p + ":\n" + r.out());
        }
        assertTrue(r.out().contains("(30 frames, engine onnxruntime"), r.out());

        // One second: 30 visible frames at 30 fps, 25 thermal ones at 25 fps.
        assertEquals(W + "x" + H, FfmpegCli.dimensions(fused.toString()));
        assertEquals(3 * W + "x" + H, FfmpegCli.dimensions(sideBySide.toString()));
        for (Path video : List.of(fused, sideBySide)) {
            assertEquals("", FfmpegCli.decodeErrors(video.toString(), 120), video + " plays cleanly");
            assertEquals(30, FfmpegCli.countFrames(video.toString(), 120), video.toString());
        }
        assertEquals(25, FfmpegCli.countFrames(dir.resolve("infrared.mp4").toString(), 120));

        JsonNode s = new ObjectMapper().readTree(metrics.toFile());
        assertEquals("onnxruntime", s.get("engine").asText(), "auto: the embedded nano model");
        assertEquals(30, s.get("frames_in_visible").asInt());
        assertEquals(25, s.get("frames_in_ir").asInt());
        assertEquals(30, s.get("frames_out").asInt());
        assertEquals(30, s.get("outputs").get("o0").get("frames").asInt(), s.get("outputs").toString());
        assertEquals(30, s.get("outputs").get("o1").get("frames").asInt(), s.get("outputs").toString());

        // The side-by-side shows registered IR | visible | fused: its middle is the visible video
        // and its right the fused one, up to compression; its left is neither.
        List<byte[]> panels = TestVideos.readLuma(sideBySide);
        List<byte[]> vis = TestVideos.readLuma(visible);
        List<byte[]> fusedFrames = TestVideos.readLuma(fused);
        for (int k : new int[] {0, 15, 29}) {
            double middle = panelDifference(panels.get(k), 1, vis.get(k));
            double right = panelDifference(panels.get(k), 2, fusedFrames.get(k));
            double left = panelDifference(panels.get(k), 0, vis.get(k));
            assertTrue(middle < 3 && right < 3, "frame " + k + ": middle vs visible " + middle + ", right vs fused " + right);
            assertTrue(left > 10, "frame " + k + ": the left panel (IR) differs from the visible frame: " + left);
        }
    }

    /** Mean absolute luma difference between panel {@code p} (0, 1, 2) of a side-by-side frame and a frame. */
    private static double panelDifference(byte[] sideBySide, int p, byte[] frame) {
        long sum = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                sum += Math.abs((sideBySide[y * 3 * W + p * W + x] & 0xFF) - (frame[y * W + x] & 0xFF));
            }
        }
        return (double) sum / (W * H);
    }

    @Test
    void aLengthOutOfRangeIsRefused(@TempDir Path tmp) {
        assertRefused(ivfuse("demo", "-o", tmp.resolve("d/fused.mp4").toString(), "--seconds", "0"), "--seconds must be in (0, 600]");
        assertTrue(!Files.exists(tmp.resolve("d")), "nothing written");
    }
}
