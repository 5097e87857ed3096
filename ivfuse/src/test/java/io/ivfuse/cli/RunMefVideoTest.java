package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --bracketed} with ghost suppression: a dark square crosses a still scene 16 pixels a
 * frame, shot alternately 2 stops under and over (gamma 2.2, clipped). Each output frame fuses the
 * latest frame with the previous one, so without suppression the square also shows where it was a
 * frame before.
 */
class RunMefVideoTest {
    private static final int W = 224;
    private static final int H = 96;
    private static final int FRAMES = 12;
    private static final int SIDE = 12;
    private static final int STEP = 16;
    private static final int TOP = 40;

    @TempDir
    static Path dir;
    static Path bracketed;

    @BeforeAll
    static void input() {
        bracketed = TestVideos.write(dir.resolve("bracketed.mkv"), W, H, 30, FRAMES, "ffv1",
                (i, x, y) -> exposed(scene(i, x, y), i % 2 == 0 ? 0.25 : 4));
    }

    private static int objectX(int frame) {
        return 4 + STEP * frame;
    }

    private static int scene(int frame, int x, int y) {
        int x0 = objectX(frame);
        if (x >= x0 && x < x0 + SIDE && y >= TOP && y < TOP + SIDE) {
            return ((x + y) / 3) % 2 == 0 ? 40 : 100;
        }
        return 60 + x * 100 / W + ((x / 8 + y / 8) % 2) * 20;
    }

    private static int exposed(int v, double gain) {
        double linear = Math.pow(v / 255.0, 2.2) * gain;
        return (int) Math.round(255 * Math.pow(Math.min(1, linear), 1 / 2.2));
    }

    @Test
    void theSquareIsNotDoubledWhereItWasAFrameBefore() {
        List<byte[]> plain = run("plain.mkv", "--deghost", "off", "--weight-smoothing", "0");
        List<byte[]> suppressed = run("suppressed.mkv"); // the defaults: on, smoothing 0.5
        int t = 8;
        int still = 2; // same exposure order as t, the square far from where it was at t - 1
        int x0 = objectX(t - 1) + 2;
        double ghost = meanAbsDiff(plain.get(t), plain.get(still), x0, TOP + 2, x0 + SIDE - 4, TOP + SIDE - 2);
        double left = meanAbsDiff(suppressed.get(t), suppressed.get(still), x0, TOP + 2, x0 + SIDE - 4, TOP + SIDE - 2);
        assertTrue(ghost > 10, "no ghost without suppression: " + ghost);
        assertTrue(left < ghost / 2.5, "ghost " + ghost + " -> " + left);
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        assertRefused(ivfuse("run", "--mode", "mef", "--bracketed", bracketed.toString(), "-o",
                dir.resolve("x.mkv").toString(), "--weight-smoothing", "1"), "fusion.mef.weight_smoothing");
        assertRefused(ivfuse("run", "--mode", "mef", "--bracketed", bracketed.toString(), "-o",
                dir.resolve("y.mkv").toString(), "--deghost", "maybe"), "--deghost");
        assertRefused(ivfuse("run", "--mode", "mef", "--bracketed", bracketed.toString(), "-o",
                dir.resolve("z.mkv").toString(), "--deghost-reference", "middle"), "fusion.mef.deghost_reference");
    }

    private static List<byte[]> run(String name, String... flags) {
        Path out = dir.resolve(name);
        String[] args = {"run", "--mode", "mef", "--bracketed", bracketed.toString(), "-o", out.toString(),
            "--engine", "mef-lut", "--codec", "ffv1", "--progress", "off"};
        String[] all = java.util.Arrays.copyOf(args, args.length + flags.length);
        System.arraycopy(flags, 0, all, args.length, flags.length);
        RunCommandTest.Result r = ivfuse(all);
        assertEquals(0, r.exit(), r.err());
        List<byte[]> frames = TestVideos.readLuma(out);
        assertEquals(FRAMES, frames.size());
        return frames;
    }

    private static double meanAbsDiff(byte[] a, byte[] b, int x0, int y0, int x1, int y1) {
        long s = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s += Math.abs((a[y * W + x] & 0xFF) - (b[y * W + x] & 0xFF));
            }
        }
        return (double) s / ((x1 - x0) * (y1 - y0));
    }
}
