package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

    /** Parses like the CLI, then calls the command directly so its exceptions reach the test. */
    private static int run(java.util.concurrent.Callable<Integer> command, String... args) {
        new CommandLine(command).parseArgs(args);
        try {
            return command.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        int rc = run(new EvaluateCommand(), "--pairs", dir.toString(), "--engine", "test-average",
                "--fused", tmp.resolve("fusedVifb").toString(), "--convention", "cddfuse", "--metrics", "EN,SSIM,Qabf,VIF",
                "-o", out.toString(), "--threads", "2");
        assertEquals(0, rc);
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
        assertEquals(0, run(new FuseImagesCommand(), "--pairs", dir.toString(), "--engine", "test-average", "-o", out.toString()));
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
        IvfuseException missing = assertThrows(IvfuseException.class,
                () -> run(new EvaluateCommand(), "--pairs", tmp.resolve("nope").toString(), "--engine", "test-average", "-o", "x"));
        assertTrue(missing.getMessage().contains("nope"));
        Path dir = pairs(3);
        write(dir.resolve("ir/lonely.png"), 48, 40, 1, false);
        write(dir.resolve("ir/p2.png"), 30, 20, 1, false); // size mismatch in pair p2
        Files.writeString(dir.resolve("vis/p1.png"), "not an image");
        Path out = tmp.resolve("out");
        IvfuseException e = assertThrows(IvfuseException.class, () -> run(new EvaluateCommand(), "--pairs", dir.toString(),
                "--engine", "test-average", "--metrics", "EN", "-o", out.toString()));
        assertFalse(e.getMessage().contains("\n"));
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(2, csv.size(), "the good pair p0 is still evaluated: " + csv);
        assertTrue(csv.get(1).startsWith("p0,test-average,EN,"));
        assertThrows(IvfuseException.class, () -> run(new EvaluateCommand(), "--pairs", dir.toString(),
                "--engine", "test-average", "--metrics", "NOPE", "-o", out.toString()));
        assertThrows(IvfuseException.class, () -> run(new EvaluateCommand(), "--pairs", dir.toString(),
                "--engine", "test-average", "--convention", "matlab", "-o", out.toString()));
    }

    @Test
    void resizeOptsIntoResizingTheInfraredImage() throws IOException {
        Path dir = pairs(1);
        write(dir.resolve("ir/p0.png"), 30, 20, 1, false);
        Path out = tmp.resolve("out");
        assertEquals(0, run(new EvaluateCommand(), "--pairs", dir.toString(), "--engine", "test-average", "--resize",
                "--metrics", "EN,SSIM", "-o", out.toString()));
    }
}
