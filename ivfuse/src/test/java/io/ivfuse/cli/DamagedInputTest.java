package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input is reported, not passed silently: a truncated file and a file with corrupted
 * blocks are counted per input (summary line, --metrics-json), named in one warning, FFmpeg's own
 * complaints reach the log once each and never raw stderr, the exit code stays 0 with a playable
 * output, and {@code --strict} turns the damage into exit 2 after finishing the output.
 */
class DamagedInputTest {
    private static final int FRAMES = 60;
    @TempDir
    static Path dir;
    static Path ir;
    static Path vis;
    static Path truncated;
    static Path corrupted;

    @BeforeAll
    static void inputs() throws Exception {
        // MPEG-4 part 2 at 30 fps, moov first (as a camera that finalises its files writes them), 2 s.
        ir = encode("ir.mp4", "testsrc=size=160x120:rate=30");
        vis = encode("vis.mp4", "testsrc2=size=160x120:rate=30");
        byte[] clean = Files.readAllBytes(vis);
        truncated = Files.write(dir.resolve("vis-truncated.mp4"), Arrays.copyOf(clean, clean.length / 2));
        byte[] flipped = clean.clone();
        Random random = new Random(12);
        for (int i = 0; i < 40; i++) {
            int at = clean.length / 10 + random.nextInt(clean.length * 8 / 10);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
        }
        corrupted = Files.write(dir.resolve("vis-corrupted.mp4"), flipped);
    }

    private static Path encode(String name, String source) {
        Path file = dir.resolve(name);
        FfmpegCli.Result r = FfmpegCli.run(60, "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", source,
                "-frames:v", String.valueOf(FRAMES), "-c:v", "mpeg4", "-q:v", "3", "-g", "15", "-movflags", "+faststart",
                file.toString());
        assertEquals(0, r.exitCode(), r.output());
        return file;
    }

    record Result(int exit, String out, String err, String log, JsonNode summary, Path output) {
    }

    /** {@code ivfuse run} in-process, the log (System.err) captured too. */
    static Result run(Path visInput, String name, String... extra) throws Exception {
        Path output = dir.resolve(name + ".mp4");
        Path json = dir.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("run", "--ir", ir.toString(), "--vis", visInput.toString(),
                "-o", output.toString(), "--engine", "average", "--metrics-json", json.toString(), "--progress", "off"));
        args.addAll(List.of(extra));
        InProcessRun r = InProcessRun.execute(json, args);
        return new Result(r.exit(), r.out(), r.err(), r.log(), r.summary(), output);
    }

    @Test
    void aTruncatedInputIsCountedAsDamagedAndTheOutputStaysPlayable() throws Exception {
        Result r = run(truncated, "fused-from-truncated");
        assertEquals(0, r.exit, r.err + r.log);
        JsonNode input = r.summary.get("inputs").get("vis");
        assertTrue(r.summary.get("damaged").asBoolean(), r.summary.toString());
        assertTrue(input.get("truncated").asBoolean(), input.toString());
        String damage = input.get("damage").asText();
        assertTrue(damage.contains("ended early: at ") && damage.contains("of the 2.00 s it declares"), damage);
        assertFalse(r.summary.get("inputs").get("ir").get("truncated").asBoolean(), "the IR input is intact");
        assertTrue(r.out.contains("input vis: damaged: " + damage), r.out);
        List<String> named = r.log.lines().filter(l -> l.contains("is damaged")).toList();
        assertEquals(1, named.size(), "one warning line: " + r.log);
        assertTrue(named.get(0).startsWith("[WARN] visible input '" + truncated + "' is damaged: ") && named.get(0).contains("ended early"),
                named.get(0));
        long frames = r.summary.get("frames_out").asLong();
        assertTrue(frames > 10 && frames < FRAMES, frames + " frames out of a file cut in half");
        assertEquals(frames, TestVideos.readLuma(r.output).size(), "the output holds every frame the summary counts");
    }

    @Test
    void strictMakesATruncatedInputExitTwoAfterFinishingTheOutput() throws Exception {
        Result r = run(truncated, "fused-from-truncated-strict", "--strict");
        assertEquals(2, r.exit, r.err + r.log);
        String line = r.err.strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("ivfuse: error: visible input '" + truncated + "' is damaged: ") && line.contains("ended early"),
                line);
        assertFalse(r.log.contains("is damaged"), "said once, as the error: " + r.log);
        long frames = r.summary.get("frames_out").asLong();
        assertTrue(frames > 10, r.summary.toString());
        assertEquals(frames, TestVideos.readLuma(r.output).size(), "the output was finished: every frame playable");
    }

    @Test
    void strictPassesAnIntactInput() throws Exception {
        Result r = run(vis, "fused-intact-strict", "--strict");
        assertEquals(0, r.exit, r.err + r.log);
        assertFalse(r.summary.get("damaged").asBoolean(), r.summary.get("inputs").toString());
        assertEquals(FRAMES, r.summary.get("frames_out").asInt());
        assertTrue(r.summary.get("inputs").get("vis").get("damage").isNull());
    }

    /**
     * In a process of its own, so that the raw stderr (where native code would write) is seen and
     * FFmpeg's messages are new to the log's once-per-problem filter.
     */
    @Test
    void corruptedBlocksAreCountedAsDecodeErrorsAndFfmpegComplainsThroughTheLogOnce() throws Exception {
        Path output = dir.resolve("fused-from-corrupted.mp4");
        Path json = dir.resolve("fused-from-corrupted.json");
        Path stderr = dir.resolve("fused-from-corrupted.stderr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--ir", ir.toString(), "--vis", corrupted.toString(), "-o", output.toString(), "--engine", "average",
                "--metrics-json", json.toString(), "--progress", "off")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ivfuse finished");
        String log = Files.readString(stderr);
        assertEquals(0, p.exitValue(), log);
        JsonNode input = new ObjectMapper().readTree(json.toFile()).get("inputs").get("vis");
        long errors = input.get("decode_errors").asLong();
        assertTrue(errors >= 5 && input.get("concealed").asLong() >= 1, input.toString());
        for (String line : log.lines().toList()) {
            assertTrue(line.matches("\\[(INFO|WARN)\\] .*"), "every stderr line comes through the log: " + line);
        }
        long ffmpegLines = log.lines().filter(l -> l.contains(" @ 0x")).count();
        assertTrue(ffmpegLines >= 1 && ffmpegLines <= 12, ffmpegLines + " FFmpeg lines for " + errors + " damaged frames:\n" + log);
        assertEquals(1, log.lines().filter(l -> l.startsWith("[WARN] visible input '" + corrupted + "' is damaged: " + errors
                + " frames with decode errors")).count(), log);
        assertEquals(new ObjectMapper().readTree(json.toFile()).get("frames_out").asInt(), TestVideos.readLuma(output).size());
    }
}
