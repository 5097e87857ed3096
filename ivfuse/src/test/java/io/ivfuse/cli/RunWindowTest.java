package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --start/--until}: consecutive windows of a recording fuse exactly the frames of one
 * whole run, pixel for pixel (the archive job's segments rest on this). The visible input is
 * H.264 with a keyframe every 15 frames, so a seek lands before the window and decodes up to it;
 * the IR input runs at another rate with an offset, so pairing at a window's start depends on the
 * pre-roll.
 */
class RunWindowTest {
    static final int W = 64;
    static final int H = 48;

    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.writeH264Mkv(dir.resolve("vis.mkv"), W, H, 30, 100, TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), W, H, 25, 84, "ffv1", (i, x, y) -> 30 + (x + 2 * i) % 200);
    }

    private static List<byte[]> fuse(String name, String... window) {
        Path out = dir.resolve(name + ".mkv");
        List<String> args = new ArrayList<>(List.of("run", "--ir", ir.toString(), "--vis", vis.toString(), "--engine",
                "average", "--codec", "ffv1", "--ir-offset-ms", "-20", "-o", out.toString()));
        args.addAll(List.of(window));
        RunCommandTest.Result r = ivfuse(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return TestVideos.readLuma(out);
    }

    @Test
    void consecutiveWindowsFuseTheFramesOfAWholeRun() {
        List<byte[]> whole = fuse("whole");
        List<byte[]> joined = new ArrayList<>();
        joined.addAll(fuse("w0", "--until", "1.1"));
        joined.addAll(fuse("w1", "--start", "1.1", "--until", "2.0"));
        joined.addAll(fuse("w2", "--start", "2.0"));
        assertEquals(whole.size(), joined.size(), "frames of the windows together");
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i), joined.get(i), "frame " + i);
        }
    }

    @Test
    void aWindowAfterTheEndOrBackwardsIsRefused() throws Exception {
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average", "--start", "2",
                "--until", "1", "-o", dir.resolve("backwards.mkv").toString()), "input.end_seconds");
        Path late = dir.resolve("late.mkv");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average", "--start", "60",
                "-o", late.toString()), "has no video frames from 58.0 s on");
        assertFalse(Files.exists(late), "no output left by a refused run");
    }
}
