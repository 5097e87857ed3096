package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
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

/** The commands end to end on a small temporary folder of pairs, with the test-only engine. */
class EvaluateCommandTest {
    @TempDir
    Path tmp;

    private static void write(Path file, int w, int h, int seed, boolean colour) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, colour ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (int) (127 + 100 * Math.sin((x + seed) / 4.0) * Math.cos((y - seed) / 5.0));
                img.setRGB(x, y, colour ? (v << 16) | (((v + seed) & 0xFF) << 8) | (255 - v) : (v << 16) | (v << 8) | v);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private Path pairs(int n) throws IOException {
        Path dir = tmp.resolve("pairs");
        for (int i = 0; i < n; i++) {
            write(dir.resolve("ir/p" + i + ".png"), 48, 40, i, false);
            write(dir.resolve("vis/p" + i + ".png"), 48, 40, i + 7, i % 2 == 0);
        }
        return dir;
    }

    /** Asserts a run that failed as bad input: exit 2, its last line the one-line error naming {@code expected}. */
    private static void assertFailedWith(Result r, String expected) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        String[] lines = r.err().strip().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("ivfuse: error: ") && last.contains(expected), "expected '" + expected + "' in the last line of:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void evaluatesEnginesAndFusedFoldersAndWritesEveryFile() throws IOException {
        Path dir = pairs(3);
        Path out = tmp.resolve("out");
        // A fused folder in VIFB naming: method "copy" = the visible image.
        Files.createDirectories(tmp.resolve("fusedVifb"));
        for (int i = 0; i < 3; i++) {
            Files.copy(dir.resolve("vis/p" + i + ".png"), tmp.resolve("fusedVifb").resolve("p" + i + "_copy.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Result r = ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average",
                "--fused", tmp.resolve("fusedVifb").toString(), "--convention", "cddfuse", "--metrics", "EN,SSIM,Qabf,VIF",
                "-o", out.toString(), "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("evaluated 3 image(s); results in " + out), r.err());
        for (String f : List.of("metrics.csv", "summary.csv", "summary.md", "report.html", "charts/EN.png", "charts/SSIM.png",
                "fused/test-average/p0.png", "thumbs/p0__IR.png", "thumbs/p2__copy.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("image,method,metric,value", csv.get(0));
        assertEquals(1 + 3 * 2 * 4, csv.size(), "3 pairs x 2 methods x 4 metrics");
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| test-average |") && summary.contains("| copy |"), summary);
        assertTrue(Files.readString(out.resolve("report.html")).contains("charts/VIF.png"));
    }

    @Test
    void fuseImagesKeepsColourAndGray() throws IOException {
        Path dir = pairs(2);
        Path out = tmp.resolve("fusedOut");
        Result r = ivfuse("fuse-images", "--pairs", dir.toString(), "--engine", "test-average", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("fused 2 of 2 pairs into " + out), r.err());
        assertEquals(3, ImageIO.read(out.resolve("p0.png").toFile()).getRaster().getNumBands(), "colour visible gives colour");
        assertEquals(1, ImageIO.read(out.resolve("p1.png").toFile()).getRaster().getNumBands(), "gray visible gives gray");
        // Gray pair: the exact average of the two files.
        BufferedImage ir = ImageIO.read(dir.resolve("ir/p1.png").toFile());
        BufferedImage vis = ImageIO.read(dir.resolve("vis/p1.png").toFile());
        BufferedImage f = ImageIO.read(out.resolve("p1.png").toFile());
        int expected = (ir.getRaster().getSample(5, 6, 0) + vis.getRaster().getSample(5, 6, 0) + 1) / 2;
        assertEquals(expected, f.getRaster().getSample(5, 6, 0));
    }

    @Test
    void badInputsGiveOneLineErrorsAndKeepTheOtherResults() throws IOException {
        assertRefused(ivfuse("evaluate", "--pairs", tmp.resolve("nope").toString(), "--engine", "test-average", "-o", "x"), "nope");
        Path dir = pairs(3);
        write(dir.resolve("ir/lonely.png"), 48, 40, 1, false);
        write(dir.resolve("ir/p2.png"), 30, 20, 1, false); // size mismatch in pair p2
        Files.writeString(dir.resolve("vis/p1.png"), "not an image");
        Path out = tmp.resolve("out");
        Result r = ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average", "--metrics", "EN", "-o", out.toString());
        assertFailedWith(r, "problem(s) (listed above); the other results are in " + out);
        assertTrue(r.err().contains("lonely.png") && r.err().contains("p1") && r.err().contains("30x20"), "each problem listed: " + r.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(2, csv.size(), "the good pair p0 is still evaluated: " + csv);
        assertTrue(csv.get(1).startsWith("p0,test-average,EN,"));
        assertRefused(ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average", "--metrics", "NOPE",
                "-o", out.toString()), "NOPE");
        assertRefused(ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average", "--convention", "matlab",
                "-o", out.toString()), "matlab");
        Result fuse = ivfuse("fuse-images", "--pairs", dir.toString(), "--engine", "test-average", "-o", tmp.resolve("f").toString());
        assertFailedWith(fuse, "2 pair(s) failed and 1 file(s) unmatched (listed above)");
    }

    @Test
    void resizeOptsIntoResizingTheInfraredImage() throws IOException {
        // A gray visible image and a smaller, uniformly gray IR one: resized, the IR stays 100
        // everywhere, so the fused image is exactly (100 + visible + 1) / 2 at the visible size.
        Path dir = tmp.resolve("sizes");
        write(dir.resolve("vis/p0.png"), 48, 40, 3, false);
        Files.createDirectories(dir.resolve("ir"));
        BufferedImage flat = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                flat.getRaster().setSample(x, y, 0, 100);
            }
        }
        ImageIO.write(flat, "png", dir.resolve("ir/p0.png").toFile());
        Result refused = ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average", "--metrics", "EN",
                "-o", tmp.resolve("refused").toString());
        assertFailedWith(refused, "1 problem(s) (listed above) and nothing fused to evaluate");
        assertTrue(refused.err().contains("pair 'p0': infrared is 30x20 but visible is 48x40 (use --resize"), refused.err());

        Path out = tmp.resolve("out");
        Result r = ivfuse("evaluate", "--pairs", dir.toString(), "--engine", "test-average", "--resize",
                "--metrics", "EN,SSIM", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        BufferedImage vis = ImageIO.read(dir.resolve("vis/p0.png").toFile());
        BufferedImage fused = ImageIO.read(out.resolve("fused/test-average/p0.png").toFile());
        assertEquals("48x40", fused.getWidth() + "x" + fused.getHeight(), "fused at the visible size");
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                int expected = (100 + vis.getRaster().getSample(x, y, 0) + 1) / 2;
                assertEquals(expected, fused.getRaster().getSample(x, y, 0), "pixel (" + x + ", " + y + ")");
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, csv.size(), "both metrics of the resized pair: " + csv);
        assertTrue(csv.get(1).startsWith("p0,test-average,EN,") && csv.get(2).startsWith("p0,test-average,SSIM,"), csv.toString());
    }
}
