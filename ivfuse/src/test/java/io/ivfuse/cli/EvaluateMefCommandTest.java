package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --mode mef} end to end on small synthetic exposure brackets. */
class EvaluateMefCommandTest {
    private static final int MEFB_METRICS = io.ivfuse.quality.metric.MetricCatalog.available(io.ivfuse.quality.metric.Convention.MEFB).size();
    private static final int W = 64;
    private static final int H = 56;

    @TempDir
    Path tmp;

    /** A textured scene seen at one exposure gain (under 0.4, over 1.8), clipped to 8 bits. */
    private static void write(Path file, int w, int h, double gain, boolean colour) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, colour ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double scene = 120 + 90 * Math.sin(x / 3.0) * Math.cos(y / 4.0) + x;
                int v = (int) Math.max(0, Math.min(255, scene * gain));
                int g = (int) Math.max(0, Math.min(255, (scene * 0.8 + 20) * gain));
                img.setRGB(x, y, colour ? (v << 16) | (g << 8) | (255 - v) : (v << 16) | (v << 8) | v);
            }
        }
        ImageIO.write(img, file.getFileName().toString().endsWith(".tif") ? "tiff" : "png", file.toFile());
    }

    private static void write16BitTiff(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, (x * 997 + y * 131) & 0xFFFF);
            }
        }
        assertTrue(ImageIO.write(img, "tiff", file.toFile()), "a TIFF writer");
    }

    private static void assertRefused(Result r, String expected) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        String[] lines = r.err().strip().split("\\R");
        assertTrue(lines[lines.length - 1].startsWith("ivfuse: error: ") && lines[lines.length - 1].contains(expected),
                "expected '" + expected + "' in the last line of:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    /** Method "over" (the over-exposure itself) and "under" per scene, in one folder per method. */
    private Path fusedFolders(List<String> scenes) throws IOException {
        Path fused = tmp.resolve("fused");
        for (String s : scenes) {
            write(fused.resolve("over").resolve(s + ".png"), W, H, 1.8, true);
            write(fused.resolve("under").resolve(s + ".png"), W, H, 0.4, true);
        }
        return fused;
    }

    @Test
    void readsBothLayoutsAndAFolderPerMethodWithMefbNames() throws IOException {
        Path pairs = tmp.resolve("pairs");
        write(pairs.resolve("plain/A.png"), W, H, 0.4, true);
        write(pairs.resolve("plain/B.png"), W, H, 1.8, true);
        write(pairs.resolve("mefb/mefb_A.png"), W, H, 0.4, true);
        write(pairs.resolve("mefb/mefb_B.png"), W, H, 1.8, true);
        Path out = tmp.resolve("out");
        Result r = ivfuse("evaluate", "--mode", "mef", "--pairs", pairs.toString(),
                "--fused", fusedFolders(List.of("plain", "mefb")).toString(), "-o", out.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(1 + 2 * 2 * MEFB_METRICS, csv.size(), "2 pairs x 2 methods x the MEFB metrics implemented");
        assertTrue(csv.contains("mefb,over,Psnr," + csv.stream().filter(l -> l.startsWith("mefb,over,Psnr,")).findFirst()
                .orElseThrow().split(",")[3]));
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("mefb convention") && summary.contains("MEF_SSIM") && summary.contains("Qabf")
                && summary.contains("| over |") && summary.contains("| under |"), summary);
        assertTrue(Files.readString(out.resolve("report.html")).contains("under (A)"));
        // A fused image equal to one exposure keeps all of that exposure's structure only: below 1, above 0.
        double mefSsim = Double.parseDouble(csv.stream().filter(l -> l.startsWith("plain,over,MEF_SSIM,")).findFirst()
                .orElseThrow().split(",")[3]);
        assertTrue(mefSsim > 0 && mefSsim < 1, "MEF_SSIM " + mefSsim);
    }

    @Test
    void mefEnginesFuseThePairsForTheMetrics() throws IOException {
        Path pairs = tmp.resolve("pairs");
        write(pairs.resolve("s/A.png"), W, H, 0.4, true);
        write(pairs.resolve("s/B.png"), W, H, 1.8, true);
        Path out = tmp.resolve("out");
        Result r = ivfuse("evaluate", "--mode", "mef", "--pairs", pairs.toString(), "--engine", "mef-lut,mertens",
                "--fused", fusedFolders(List.of("s")).toString(), "--metrics", "MEF_SSIM", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        // This scene's over-exposure is barely clipped (MEF_SSIM near 1); the fused ones keep most of
        // both exposures' structure, far more than the under-exposure alone.
        for (String engine : List.of("mef-lut", "mertens")) {
            assertTrue(mefSsim(csv, engine) > 0.9 && mefSsim(csv, engine) > mefSsim(csv, "under") + 0.2, engine + ":\n" + csv);
        }
    }

    private static double mefSsim(List<String> csv, String method) {
        return Double.parseDouble(csv.stream().filter(l -> l.startsWith("s," + method + ",MEF_SSIM,")).findFirst()
                .orElseThrow(() -> new AssertionError(method + " in " + csv)).split(",")[3]);
    }

    @Test
    void anEngineOfAnotherModeIsRefusedByName() throws IOException {
        Path pairs = tmp.resolve("pairs");
        write(pairs.resolve("s/A.png"), W, H, 0.4, true);
        write(pairs.resolve("s/B.png"), W, H, 1.8, true);
        assertRefused(ivfuse("evaluate", "--mode", "mef", "--pairs", pairs.toString(), "--engine", "average",
                "-o", tmp.resolve("out").toString()), "engine 'average' does not support mode mef");
        assertRefused(ivfuse("evaluate", "--mode", "mef", "--convention", "vifb", "--pairs", pairs.toString(),
                "--fused", tmp.toString(), "-o", tmp.resolve("out").toString()), "convention vifb is for --mode ir-vis");
    }

    @Test
    void badExposuresAreNamedAndTheOtherPairsKept() throws IOException {
        Path pairs = tmp.resolve("pairs");
        write(pairs.resolve("resized/A.png"), W, H, 0.4, true);
        write(pairs.resolve("resized/B.png"), W * 2, H * 2, 1.8, true);
        write(pairs.resolve("same/A.png"), W, H, 0.4, true);
        write(pairs.resolve("same/B.png"), W, H, 0.4, true);
        write(pairs.resolve("mixed/A.png"), W, H, 0.4, false);
        write(pairs.resolve("mixed/B.png"), W, H, 1.8, true);
        write(pairs.resolve("black/A.png"), W, H, 0, false);
        write(pairs.resolve("black/B.png"), W, H, 1.8, true);
        write(pairs.resolve("white/A.png"), W, H, 0.4, true);
        write(pairs.resolve("white/B.png"), W, H, 100, false);
        write16BitTiff(pairs.resolve("deep/A.tif"));
        write(pairs.resolve("deep/B.png"), W, H, 1.8, true);
        List<String> scenes = List.of("resized", "same", "mixed", "black", "white", "deep");
        Path out = tmp.resolve("out");
        Result r = ivfuse("evaluate", "--mode", "mef", "--pairs", pairs.toString(), "--fused", fusedFolders(scenes).toString(),
                "-o", out.toString(), "--threads", "2");
        String err = r.err();
        assertRefused(r, "3 problem(s)");
        assertTrue(err.contains("warning: pair 'resized': " + pairs.resolve("resized/B.png") + " is 128x112 but "
                + pairs.resolve("resized/A.png") + " is 64x56: resized"), err);
        assertTrue(err.contains("warning: pair 'same': ") && err.contains("are identical"), err);
        assertTrue(err.contains("warning: pair 'mixed': " + pairs.resolve("mixed/A.png") + " is gray"), err);
        assertTrue(err.contains("exposure " + pairs.resolve("black/A.png") + " is all black"), err);
        assertTrue(err.contains("exposure " + pairs.resolve("white/B.png") + " is all white"), err);
        assertTrue(err.contains("image " + pairs.resolve("deep/A.tif") + " is 16-bit"), err);
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        for (String kept : List.of("resized", "same", "mixed")) {
            assertEquals(2 * MEFB_METRICS, csv.stream().filter(l -> l.startsWith(kept + ",")).count(), kept + " rows in\n" + csv);
        }
        assertTrue(csv.stream().noneMatch(l -> l.contains("NaN")), "no NaN value: " + csv);
    }
}
