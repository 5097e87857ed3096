package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.ivfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ivfuse bench} on small generated clips: the figures it reports hang together (each rate
 * is its frames over its time, the bound is the cores over the reported CPU per frame, the
 * efficiency is end to end over the bound), the run's settings reach the stages, the clips are
 * started again for stages longer than they are, nothing is left behind, and bad input is refused.
 */
class BenchCommandTest {
    private static final List<String> HEADLINE = List.of("decode_ir_fps", "decode_vis_fps", "fusion_fps", "encode_fps",
            "end_to_end_fps", "cpu_bound_fps", "efficiency");
    /** The process CPU clock ticks every 10 ms; a stage's reading may be off by a tick at either end. */
    private static final double CPU_CLOCK_SLACK_S = 0.02;

    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        // 30 frames each, fewer than the 40 timed: decoding must start the files again.
        vis = TestVideos.write(dir.resolve("vis.mkv"), 160, 120, 30, 30, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), 80, 60, 30, 30, "ffv1", (i, x, y) -> (x * 3 + i * 5) % 256);
    }

    @Test
    void figuresHangTogetherAndFollowTheRunSettings() throws Exception {
        Path json = dir.resolve("bench.json");
        List<Path> tempBefore = benchTempFolders();
        Result r = ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average", "--threads", "2",
                "--codec", "mpeg4", "--frames", "40", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode b = new ObjectMapper().readTree(json.toFile());
        assertFiguresHangTogether(b, List.of("decode_ir", "decode_vis", "register", "fusion", "encode"));

        assertEquals(30, b.get("end_to_end_frames").asInt(), "the whole run has only the 30 frames of the files");
        JsonNode run = b.get("end_to_end_run");
        assertEquals(30, run.get("frames").asInt());
        assertTrue(run.get("fps").asDouble() <= b.get("end_to_end_fps").asDouble() * 1.001,
                "the whole run, opening and closing included, is no faster than its pipeline: " + run);
        assertEquals(30, b.get("end_to_end_stages_ms").get("fuse").get("count").asInt(), b.toString());
        JsonNode warmup = b.get("end_to_end_warmup_run");
        assertEquals(10, warmup.get("frames").asInt(), "the whole run's warm-up: " + warmup);
        assertClose((run.get("cpu_seconds").asDouble() - warmup.get("cpu_seconds").asDouble()) * 1000 / 20,
                b.get("end_to_end_cpu_ms_per_frame").asDouble(), "the whole run's CPU per frame beyond its warm-up");

        assertEquals("ir-vis", b.get("mode").asText());
        assertEquals("average", b.get("engine").asText());
        assertEquals("mpeg4", b.get("encoder").asText(), "--codec reaches the encoder");
        assertEquals(2, b.get("fusion_threads").asInt(), "--threads reaches the fusion stage");
        assertEquals(0, b.get("pool_frames").asInt() % 2, "the pool divides among the fusion threads");
        assertEquals(160, b.get("width").asInt());
        assertEquals(120, b.get("height").asInt());
        assertEquals(80, b.get("ir_width").asInt());
        assertEquals(60, b.get("ir_height").asInt());
        assertEquals(30.0, b.get("input_fps").asDouble(), 1e-9);

        assertTrue(r.out().contains("efficiency"), r.out());
        assertTrue(r.out().contains("cameras: this machine takes " + b.get("camera_pairs_at_bound").asLong() + " IR+visible pair"), r.out());
        assertEquals(tempBefore, benchTempFolders(), "the bench's temporary files are gone");
    }

    /**
     * Mode mef: both exposures decode as colour, registration warps the over exposure's chroma
     * too, fusion runs the engine's exposure session (an mef-only engine, which has no other) after
     * ghost suppression, and weight smoothing, which the run does by default, is a stage of the
     * bound.
     */
    @Test
    void modeMefTimesAnExposurePairWithAnExposureEngine() throws Exception {
        Path under = TestVideos.write(dir.resolve("under.mkv"), 160, 120, 30, 30, "ffv1", (i, x, y) -> 20 + (x + y + i) % 40);
        Path over = TestVideos.write(dir.resolve("over.mkv"), 80, 60, 30, 30, "ffv1", (i, x, y) -> 180 + (x + i) % 50);
        Path json = dir.resolve("mef.json");
        Result r = ivfuse("bench", "--mode", "mef", "--under", under.toString(), "--over", over.toString(), "--engine", "mef-lut",
                "--codec", "mpeg4", "--frames", "40", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode b = new ObjectMapper().readTree(json.toFile());
        assertFiguresHangTogether(b, List.of("decode_ir", "decode_vis", "register", "fusion", "smoothing", "encode"));
        assertTrue(r.out().contains("smoothing"), r.out());
        assertEquals("mef", b.get("mode").asText());
        assertEquals("mef-lut", b.get("engine").asText());
        assertEquals("under", b.get("first_role").asText());
        assertEquals("over", b.get("second_role").asText());
        assertEquals(160, b.get("width").asInt(), "the output has the under exposure's size");
        assertEquals(80, b.get("ir_width").asInt(), "the over exposure's own size");
        assertEquals(30, b.get("end_to_end_frames").asInt(), b.toString());
        assertTrue(r.out().contains("decode over"), r.out());
        assertTrue(r.out().contains("exposure pair"), r.out());
    }

    @Test
    void modeMefRefusesAnInfraredEngine() {
        assertRefused(ivfuse("bench", "--mode", "mef", "--under", vis.toString(), "--over", vis.toString(), "--engine", "max"),
                "engine 'max' does not support mode mef");
    }

    /** Each rate is its frames over its time, the bound is the cores over the stages' CPU per frame, the efficiency end to end over it. */
    private static void assertFiguresHangTogether(JsonNode b, List<String> stages) {
        for (String key : HEADLINE) {
            assertTrue(b.has(key), key + " in " + b);
            double v = b.get(key).asDouble();
            assertTrue(v > 0 && Double.isFinite(v), key + " = " + v);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, b.get("cores").asInt());
        assertEquals(stages, names(b.get("cpu_bound_stages")), "every stage the run has is in the bound");

        double cpuMsPerFrame = 0;
        for (JsonNode name : b.get("cpu_bound_stages")) {
            JsonNode s = b.get("stages").get(name.asText());
            long frames = s.get("frames").asLong();
            double wall = s.get("wall_seconds").asDouble();
            double cpu = s.get("cpu_seconds").asDouble();
            assertTrue(frames >= 40, name + ": at least the frames asked for: " + s);
            assertTrue(wall >= 0.5, name + ": at least half a second, for the CPU clock's 10 ms ticks: " + s);
            assertTrue(cpu > 0, name + " took CPU time: " + s);
            assertTrue(cpu <= cores * wall + CPU_CLOCK_SLACK_S, name + ": no more CPU than the cores give: " + s);
            assertClose(frames / wall, s.get("fps").asDouble(), name + " fps");
            assertClose(cpu * 1000 / frames, s.get("cpu_ms_per_frame").asDouble(), name + " CPU ms per frame");
            cpuMsPerFrame += s.get("cpu_ms_per_frame").asDouble();
        }
        for (String stage : List.of("decode_ir", "decode_vis", "fusion", "encode")) {
            assertClose(b.get("stages").get(stage).get("fps").asDouble(), b.get(stage + "_fps").asDouble(), stage + "_fps");
        }
        assertClose(cpuMsPerFrame, b.get("cpu_ms_per_frame").asDouble(), "the bound's CPU per frame");
        double bound = b.get("cpu_bound_fps").asDouble();
        assertClose(cores * 1000 / cpuMsPerFrame, bound, "cores over the stages' CPU seconds per frame");
        assertClose(b.get("end_to_end_fps").asDouble() / bound, b.get("efficiency").asDouble(), "efficiency");
        assertEquals((long) Math.floor(bound / 30), b.get("camera_pairs_at_bound").asLong());
        assertEquals((long) Math.floor(b.get("end_to_end_fps").asDouble() / 30), b.get("camera_pairs_measured").asLong());
    }

    @Test
    void theDefaultEngineTakesItsIntraOpThreadsFromTheConfig() throws Exception {
        Path json = dir.resolve("nano.json");
        Path config = Files.writeString(dir.resolve("nano.yaml"), "fusion: {intra_op_threads: 1}\n");
        Result r = ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--config", config.toString(),
                "--frames", "20", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode b = new ObjectMapper().readTree(json.toFile());
        assertEquals("onnxruntime", b.get("engine").asText(), b.toString());
        assertEquals(1, b.get("intra_op_threads").asInt());
        // The rest is the thread plan's: a learned engine gets a fusion thread per core (up to 8).
        assertEquals(Math.min(8, Runtime.getRuntime().availableProcessors()), b.get("fusion_threads").asInt());
        assertEquals("fusion.intra_op_threads", b.get("threads").get("set_by_config").asText(), b.toString());
        assertTrue(b.get("fusion_fps").asDouble() > 0 && b.get("efficiency").asDouble() > 0, b.toString());
    }

    @Test
    void anExistingJsonIsOnlyReplacedWithY() throws Exception {
        Path json = Files.writeString(dir.resolve("taken.json"), "{}");
        assertRefused(ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average",
                "--json", json.toString()), "bench JSON " + json + " already exists (use -y to overwrite)");
        assertEquals("{}", Files.readString(json));
    }

    @Test
    void aJsonInAFolderThatDoesNotExist() {
        assertRefused(ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average",
                "--json", dir.resolve("no/such/b.json").toString()), "does not exist");
    }

    @Test
    void missingInputLeavesNothingBehind() throws Exception {
        List<Path> tempBefore = benchTempFolders();
        assertRefused(ivfuse("bench", "--ir", "/no/such/ir.mp4", "--vis", vis.toString(), "--engine", "average"),
                "IR input '/no/such/ir.mp4': no such file");
        assertEquals(tempBefore, benchTempFolders());
    }

    @Test
    void noInputsAtAll() {
        assertRefused(ivfuse("bench", "--engine", "average"), "input.ir");
    }

    @Test
    void unknownEngine() {
        assertRefused(ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "nosuch"),
                "unknown engine 'nosuch'");
    }

    @Test
    void zeroFrames() {
        assertRefused(ivfuse("bench", "--ir", ir.toString(), "--vis", vis.toString(), "--frames", "0"),
                "--frames must be at least 1, got 0");
    }

    @Test
    void aLiveInputIsNotBenchmarked() {
        assertRefused(ivfuse("bench", "--ir", "rtsp://127.0.0.1:9/ir", "--vis", vis.toString(), "--engine", "average"),
                "IR input 'rtsp://127.0.0.1:9/ir' is live: bench times recordings");
    }

    private static void assertRefused(Result r, String expected) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("ivfuse: error: "), line);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertFalse(line.contains("\n"), "one line: " + line);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-9, what);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static List<Path> benchTempFolders() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("ivfuse-bench-")).sorted().toList();
        }
    }
}
