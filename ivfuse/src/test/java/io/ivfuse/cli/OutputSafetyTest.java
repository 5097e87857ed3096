package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run never destroys a file: an output (or the side-by-side video, a PNG folder, the metrics
 * JSON) that is an input is refused, however it is reached (the same path, a symbolic link, a
 * hard link); an existing output is only overwritten with -y; a missing folder is named, not
 * created. Each refusal comes at start, exit 2, one line naming the paths, and leaves the disk as
 * it was.
 */
class OutputSafetyTest {
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;
    static byte[] visBytes;

    @BeforeAll
    static void inputs() throws Exception {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 30, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 30, "ffv1", (i, x, y) -> 200 - 5 * i);
        visBytes = Files.readAllBytes(vis);
    }

    static Result run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--ir", ir.toString(), "--vis", vis.toString(),
                "--engine", "average", "--progress", "off"));
        args.addAll(List.of(extra));
        return RunCommandTest.ivfuse(args.toArray(String[]::new));
    }

    @Test
    void anOutputThatIsAnInputIsRefusedHoweverItIsReachedAndTheInputKeepsEveryByte() throws Exception {
        Path symlink = Files.createSymbolicLink(dir.resolve("link-to-vis.mkv"), vis);
        Path hardLink = Files.createLink(dir.resolve("hard-link-to-vis.mkv"), vis);
        Path fine = dir.resolve("fine.mkv");
        for (Path same : List.of(vis, symlink, hardLink)) {
            for (List<String> flags : List.of(List.of("-o", same.toString()), List.of("-o", same.toString(), "-y"),
                    List.of("-o", fine.toString(), "--side-by-side", same.toString()),
                    List.of("-o", fine.toString(), "--metrics-json", same.toString(), "-y"))) {
                Result r = run(flags.toArray(String[]::new));
                RunCommandTest.assertRefused(r, same + " is the visible input " + vis + " (the same file)");
                assertArrayEquals(visBytes, Files.readAllBytes(vis), "the input is untouched after " + flags);
                assertFalse(Files.exists(fine), "nothing was written");
            }
        }
        RunCommandTest.assertRefused(run("-o", ir.toString()), ir + " is the IR input " + ir);
        RunCommandTest.assertRefused(run("-o", "file://" + vis), "is the visible input");
    }

    @Test
    void aPngFolderThatHoldsTheInputFramesIsRefused() throws Exception {
        Path frames = Files.createDirectories(dir.resolve("ir-frames"));
        FfmpegCli.Result png = FfmpegCli.run(60, "-nostdin", "-y", "-v", "error", "-i", ir.toString(), "-frames:v", "3",
                "-pix_fmt", "gray", frames.resolve("frame_%06d.png").toString());
        assertEquals(0, png.exitCode(), png.output());
        byte[] first = Files.readAllBytes(frames.resolve("frame_000001.png"));
        for (String input : List.of(frames.toString(), frames.resolve("frame_%06d.png").toString())) {
            Result r = RunCommandTest.ivfuse("run", "--ir", input, "--vis", vis.toString(), "-o", frames + "/", "-y",
                    "--engine", "average", "--progress", "off");
            RunCommandTest.assertRefused(r, "output " + frames + "/ is the IR input " + frames);
            assertArrayEquals(first, Files.readAllBytes(frames.resolve("frame_000001.png")), "input frames untouched");
        }
    }

    @Test
    void anExistingOutputIsOnlyOverwrittenWithY() throws Exception {
        Path out = dir.resolve("again.mkv");
        Path json = dir.resolve("again.json");
        assertEquals(0, run("-o", out.toString(), "--codec", "ffv1", "--max-frames", "5", "--metrics-json", json.toString()).exit());
        byte[] first = Files.readAllBytes(out);
        byte[] firstJson = Files.readAllBytes(json);

        RunCommandTest.assertRefused(run("-o", out.toString(), "--codec", "ffv1"),
                "output " + out + " already exists (pass -y to overwrite");
        RunCommandTest.assertRefused(run("-o", dir.resolve("other.mkv").toString(), "--metrics-json", json.toString()),
                "metrics JSON " + json + " already exists (pass -y");
        assertArrayEquals(first, Files.readAllBytes(out), "kept as it was");
        assertArrayEquals(firstJson, Files.readAllBytes(json));
        assertFalse(Files.exists(dir.resolve("other.mkv")));

        Result y = run("-o", out.toString(), "--codec", "ffv1", "--max-frames", "10", "--metrics-json", json.toString(), "-y");
        assertEquals(0, y.exit(), y.err());
        assertEquals(10, FfmpegCli.countFrames(out.toString(), 30), "overwritten by the second run");
        Path config = Files.writeString(dir.resolve("overwrite.yaml"), "output:\n  overwrite: true\n");
        Result byConfig = run("-o", out.toString(), "--codec", "ffv1", "--max-frames", "7", "--config", config.toString());
        assertEquals(0, byConfig.exit(), byConfig.err());
        assertEquals(7, FfmpegCli.countFrames(out.toString(), 30), "output.overwrite: true is -y");
    }

    @Test
    void aPngFolderHoldingFramesIsAnExistingOutputAndTwoOutputsMayNotBeOneFile() throws Exception {
        Path frames = dir.resolve("png-out");
        assertEquals(0, run("-o", frames + "/", "--max-frames", "3").exit());
        assertTrue(Files.exists(frames.resolve("frame_000002.png")));
        RunCommandTest.assertRefused(run("-o", frames + "/", "--max-frames", "3"), "already holds frame_*.png frames (pass -y");
        assertEquals(0, run("-o", frames + "/", "--max-frames", "3", "-y").exit());

        Path twice = dir.resolve("twice.mkv");
        RunCommandTest.assertRefused(run("-o", twice.toString(), "--side-by-side", dir.resolve(".").resolve("twice.mkv").toString()),
                "output " + dir.resolve(".").resolve("twice.mkv") + " and output " + twice + " are the same file");
        assertFalse(Files.exists(twice));
    }

    @Test
    void aMissingFolderIsNamedNotCreatedButIvfuseMakesItsOwnFolders() throws Exception {
        Path missing = dir.resolve("no").resolve("such");
        RunCommandTest.assertRefused(run("-o", missing.resolve("x.mkv").toString()), "output " + missing.resolve("x.mkv")
                + ": directory " + missing + " does not exist");
        RunCommandTest.assertRefused(run("-o", dir.resolve("ok.mkv").toString(), "--metrics-json", missing.resolve("m.json").toString()),
                "metrics JSON " + missing.resolve("m.json") + ": directory " + missing + " does not exist");
        RunCommandTest.assertRefused(run("-o", missing.resolve("frames") + "/"), "directory " + missing + " does not exist");
        assertFalse(Files.exists(dir.resolve("no")), "nothing was created");
        assertFalse(Files.exists(dir.resolve("ok.mkv")));

        Path own = dir.resolve("new-frames");
        assertEquals(0, run("-o", own + "/", "--max-frames", "2").exit(), "a PNG folder whose parent exists is made");
        try (Stream<Path> files = Files.list(own)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void theDemoReplacesItsOwnFilesButNoOneElses() throws Exception {
        Path fused = dir.resolve("demo").resolve("fused.mp4");
        for (int run = 0; run < 2; run++) {
            Result r = RunCommandTest.ivfuse("demo", "-o", fused.toString(), "--seconds", "0.5", "--engine", "average");
            assertEquals(0, r.exit(), "run " + run + ": " + r.err());
            assertEquals(15, FfmpegCli.countFrames(fused.toString(), 30));
        }
        Path someoneElses = Files.createDirectories(dir.resolve("mine"));
        Path theirs = Files.writeString(someoneElses.resolve("visible.mp4"), "not the demo's");
        RunCommandTest.assertRefused(RunCommandTest.ivfuse("demo", "-o", someoneElses.resolve("fused.mp4").toString(),
                "--seconds", "0.5"), "demo: " + theirs + " exists and " + someoneElses + " is not a folder the demo wrote");
        assertEquals("not the demo's", Files.readString(theirs));
    }
}
