package io.ivfuse.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders and manifests as pairs, and the one-line errors for bad ones (no Spark needed). */
class PairListingTest {
    @TempDir
    Path tmp;

    @Test
    void readsCsvAndJsonLinesManifestsRelativeToTheirFolder() throws Exception {
        Path csv = tmp.resolve("m.csv");
        Files.writeString(csv, "id,ir,vis,calibration,output\na,ir/a.mp4,vis/a.mp4,cal.yaml,\nb,/x/ir.mp4,/x/vis.mp4,,/y/b.mkv\n");
        Path jsonl = tmp.resolve("m.jsonl");
        Files.writeString(jsonl, "{\"id\":\"a\",\"ir\":\"ir/a.mp4\",\"vis\":\"vis/a.mp4\",\"calibration\":\"cal.yaml\"}\n"
                + "{\"id\":\"b\",\"ir\":\"/x/ir.mp4\",\"vis\":\"/x/vis.mp4\",\"output\":\"/y/b.mkv\"}\n");
        Path out = tmp.resolve("out");
        List<RecordingPair> expected = List.of(
                new RecordingPair("a", tmp.resolve("ir/a.mp4").toString(), tmp.resolve("vis/a.mp4").toString(),
                        tmp.resolve("cal.yaml").toString(), out.toAbsolutePath().resolve("a.mp4").toString()),
                new RecordingPair("b", "/x/ir.mp4", "/x/vis.mp4", null, "/y/b.mkv"));
        assertEquals(expected, PairListing.read(csv, out));
        assertEquals(expected, PairListing.read(jsonl, out));
    }

    @Test
    void badManifestsAndFoldersAreOneLineErrorsNamingTheFileAndLine() throws Exception {
        Path twice = tmp.resolve("twice.csv");
        Files.writeString(twice, "id,ir,vis\na,1.mp4,2.mp4\na,3.mp4,4.mp4\n");
        assertEquals("manifest " + twice + " line 3: id 'a' is given twice", message(twice));
        Path noVis = tmp.resolve("novis.jsonl");
        Files.writeString(noVis, "{\"id\":\"a\",\"ir\":\"1.mp4\"}\n");
        assertEquals("manifest " + noVis + " line 1: no 'vis'", message(noVis));
        Path typo = tmp.resolve("typo.csv");
        Files.writeString(typo, "id,ir,vis,calibraton\na,1.mp4,2.mp4,c.yaml\n");
        assertTrue(message(typo).startsWith("manifest " + typo + ": "), message(typo));
        assertTrue(message(typo).contains("calibraton"), message(typo));

        Path folder = tmp.resolve("archive");
        Files.createDirectories(folder.resolve("ir"));
        Files.createDirectories(folder.resolve("vis"));
        Files.writeString(folder.resolve("ir/x.mp4"), "");
        assertEquals("input " + folder + ": " + folder.resolve("ir/x.mp4").toAbsolutePath()
                + " has no visible file of that name in vis/", message(folder));
    }

    @Test
    void theCommandExitsTwoWithOneLineForAMissingInput() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path missing = tmp.resolve("nothing-here");
        int rc = ArchiveCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "--master", "local[1]", "--input", missing.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(2, rc);
        assertEquals("ivfuse-spark: error: input " + missing + ": no such folder or manifest\n", err.toString());
    }

    private static String message(Path input) {
        return assertThrows(IvfuseException.class, () -> PairListing.read(input, Path.of("out"))).getMessage();
    }
}
