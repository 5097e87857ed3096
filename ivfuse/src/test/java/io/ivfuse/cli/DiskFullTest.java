package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up in the middle of a run (a 2 MiB tmpfs): exit 2, one line naming the output
 * and the cause, a file that plays with every frame that reached the disk, and a summary that
 * claims exactly those. Needs a tmpfs mount: as root, or in a user namespace (unshare -rm);
 * skipped, saying why, where neither works. ivfuse runs as a child process that mounts the disk,
 * writes to it and copies what it holds out before the disk goes away.
 */
class DiskFullTest {
    static final int FRAMES = 300;
    private static final String SCRIPT = String.join("\n",
            "mount -t tmpfs -o size=2m tmpfs \"$1\" || exit 90",
            "disk=$1; out=$2; shift 2",
            "\"$@\" > \"$out/stdout\" 2> \"$out/stderr\"; code=$?",
            "cp -R \"$disk\"/. \"$out/disk\"", // what the full disk holds
            "umount \"$disk\"",
            "exit $code");

    @TempDir
    static Path dir;
    static Path input;
    /** How to run a command that mounts: directly, or in a user and mount namespace of its own. */
    static List<String> mounter;

    @BeforeAll
    static void setUp() throws Exception {
        mounter = findMounter();
        // A moving gradient with noise: about 8 KB a frame at 2 Mbit/s, so 2 MiB fill up after ~250 frames.
        input = TestVideos.write(dir.resolve("noisy.mkv"), 320, 240, 30, FRAMES, "ffv1",
                (i, x, y) -> Math.min(255, TestVideos.gradient(i, x, y) + (hash(i, x, y) & 31)));
    }

    record Run(int exit, String stdout, String stderr, Path disk, JsonNode summary) {
        /** The one error line (and no other line of ivfuse's own, nor a stack trace). */
        String errorLine() {
            List<String> lines = stderr.lines().filter(l -> l.startsWith("ivfuse: ")).toList();
            assertEquals(1, lines.size(), "one line of error:\n" + stderr);
            assertFalse(stderr.contains("\tat ") || stderr.contains("Exception") || stderr.contains("FFmpegLogCallback"),
                    "no stack trace or JavaCV text:\n" + stderr);
            return lines.get(0);
        }
    }

    @Test
    void fragmentedMp4KeepsEveryFinishedFragmentAndTheSummarySaysHowMany() throws Exception {
        Run r = fillDisk("fused.mp4", "");
        assertFilled(r, "fused.mp4");
        assertTrue(r.errorLine().endsWith("/fused.mp4: write failed (No space left on device)"), r.errorLine());
    }

    @Test
    void matroskaKeepsEveryFinishedCluster() throws Exception {
        Run r = fillDisk("fused.mkv", "");
        assertFilled(r, "fused.mkv");
    }

    @Test
    void aSegmentedRecordingKeepsItsSegmentsAndThePartOfTheLast() throws Exception {
        Run r = fillDisk("rec/", "outputs:\n  - {uri: 'DISK/rec/', segment_seconds: 2}\n");
        List<Path> segments;
        try (Stream<Path> s = Files.list(r.disk.resolve("rec"))) {
            segments = s.sorted().toList();
        }
        assertTrue(segments.size() > 1, "several segments before the disk filled: " + segments);
        long onDisk = 0;
        for (Path seg : segments) {
            onDisk += FfmpegCli.countFrames(seg.toString(), 60);
        }
        assertEquals(2, r.exit, r.stderr);
        assertTrue(r.errorLine().contains("No space left on device"), r.errorLine());
        assertEquals(onDisk, r.summary.at("/outputs/o0/frames").asLong(), "the summary counts what the segments hold");
        assertTrue(onDisk > 0 && onDisk < FRAMES, "the disk filled part-way: " + onDisk);
    }

    @Test
    void aPlainMp4ThatCannotBeFinishedSaysSoAndClaimsNoFrame() throws Exception {
        Run r = fillDisk("plain.mp4", "output:\n  fragmented: false\n");
        assertEquals(2, r.exit, r.stderr);
        String line = r.errorLine();
        assertTrue(line.contains("plain.mp4: write failed (No space left on device); a plain MP4 is unplayable"), line);
        assertEquals(0, r.summary.at("/outputs/o0/frames").asLong(), "without its index a reader finds no frame");
        assertEquals(0, r.summary.get("frames_out").asLong());
        FfmpegCli.Result probe = FfmpegCli.probe(60, "-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames",
                r.disk.resolve("plain.mp4").toString());
        assertNotEquals(0, probe.exitCode(), "unreadable, as the message says:\n" + probe.output());
    }

    /** Exit 2, the error names the file, which plays and holds exactly the frames the summary claims. */
    private static void assertFilled(Run r, String name) {
        assertEquals(2, r.exit, r.stderr);
        String line = r.errorLine();
        assertTrue(line.startsWith("ivfuse: error: output ") && line.contains(name) && line.contains("(No space left on device)"), line);
        Path file = r.disk.resolve(name);
        long onDisk = FfmpegCli.countFrames(file.toString(), 60);
        FfmpegCli.Result decode = FfmpegCli.run(60, "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertEquals(0, decode.exitCode(), "the file plays:\n" + decode.output());
        assertTrue(onDisk > 0 && onDisk < FRAMES, "the disk filled part-way: " + onDisk + " frames on it");
        assertEquals(onDisk, r.summary.at("/outputs/o0/frames").asLong(), "the output's frames are those on disk");
        assertEquals(onDisk, r.summary.get("frames_out").asLong(), "so are the run's frames out");
        assertEquals(line.substring("ivfuse: error: ".length()), r.summary.get("error").asText());
        System.out.printf("disk full, %s: %d frames on disk, %d in the summary; %s%n", name, onDisk,
                r.summary.at("/outputs/o0/frames").asLong(), line);
        assertTrue(r.stdout.contains(" " + onDisk + " frames, "), "the printed summary too:\n" + r.stdout);
    }

    /** Runs ivfuse onto a fresh 2 MiB disk ("DISK" in {@code yaml} is its path; {@code output} without -o when yaml names one). */
    private static Run fillDisk(String output, String yaml) throws Exception {
        Path work = Files.createTempDirectory(dir, "run");
        Path disk = Files.createDirectories(work.resolve("mnt"));
        Path out = Files.createDirectories(work.resolve("out"));
        Files.createDirectories(out.resolve("disk"));
        Path config = Files.writeString(work.resolve("run.yaml"), yaml.replace("DISK", disk.toString()) + "\n");
        List<String> cmd = new ArrayList<>(mounter);
        cmd.addAll(List.of("sh", "-c", SCRIPT, "sh", disk.toString(), out.toString()));
        cmd.addAll(IvfuseProcess.command("run", "--ir", input.toString(), "--vis", input.toString(), "--config", config.toString(),
                "--engine", "average", "--bitrate", "2000", "--progress", "off", "--metrics-json", out.resolve("summary.json").toString()));
        if (!yaml.contains("outputs:")) {
            cmd.addAll(List.of("-o", disk.resolve(output).toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("script.log").toFile()).start();
        try {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "ivfuse finished");
        } finally {
            p.destroyForcibly();
            unmountIfLeft(disk);
        }
        assertNotEquals(90, p.exitValue(), "mounted: " + Files.readString(work.resolve("script.log")));
        String stderr = Files.readString(out.resolve("stderr"), StandardCharsets.UTF_8);
        Path json = out.resolve("summary.json");
        assertTrue(Files.exists(json), "a summary is written after the error:\n" + stderr);
        return new Run(p.exitValue(), Files.readString(out.resolve("stdout"), StandardCharsets.UTF_8), stderr, out.resolve("disk"),
                new ObjectMapper().readTree(json.toFile()));
    }

    /** This process mounts directly when it may; a namespace's mount goes away with it. */
    private static void unmountIfLeft(Path disk) throws IOException, InterruptedException {
        if (mounter.isEmpty() && Files.readString(Path.of("/proc/self/mounts")).contains(" " + disk + " ")) {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> findMounter() throws Exception {
        Path probe = Files.createDirectories(dir.resolve("probe"));
        String reasons = "";
        for (List<String> prefix : List.of(List.<String>of(), List.of("unshare", "-rm"))) {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$1\" && umount \"$1\"", "sh", probe.toString()));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return prefix;
                }
                reasons += " " + String.join(" ", cmd.subList(0, prefix.size() + 1)) + ": " + said + ";";
            } catch (IOException e) {
                reasons += " " + e.getMessage() + ";";
            }
        }
        assumeTrue(false, "cannot mount a small tmpfs here (neither as this user nor in a user namespace):" + reasons);
        return null;
    }

    private static int hash(int i, int x, int y) {
        int h = x * 73856093 ^ y * 19349663 ^ i * 83492791;
        h ^= h >>> 13;
        h *= 0x5bd1e995;
        return h >>> 24;
    }
}
