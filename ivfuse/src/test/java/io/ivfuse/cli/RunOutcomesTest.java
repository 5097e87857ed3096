package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.fusion.TestAverageEngineProvider;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.CsvMeters;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run does, checked on what it leaves: the frame limit, a stage failing mid-run, the JMX
 * reporter while a run is in flight, and the temporal stability of a flickering fusion.
 */
class RunOutcomesTest {
    static final int W = 64;
    static final int H = 48;
    static final int FRAMES = 30;

    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), W, H, 30, FRAMES, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 40 + 5 * i);
    }

    /** A new folder for one test's outputs (nothing there to overwrite). */
    static Path fresh(String name) throws Exception {
        return Files.createTempDirectory(dir, name);
    }

    static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void maxFramesWritesExactlyThatManyFrames() throws Exception {
        Path out = fresh("max-frames");
        Path video = out.resolve("seven.mkv");
        Result r = ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", video.toString(), "--engine", "max",
                "--codec", "ffv1", "--max-frames", "7", "--metrics-json", out.resolve("summary.json").toString(),
                "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        assertEquals(7, TestVideos.readLuma(video).size(), "decoded frames");
        assertEquals(7, FfmpegCli.countFrames(video.toString(), 60), "frames ffprobe counts");
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals(7, s.get("frames_out").asInt(), s.toString());
        assertEquals(7, s.get("outputs").get("o0").get("frames").asInt(), s.toString());
    }

    @Test
    void theSummaryShowsTheThreadPlanAndTheSlowestStage() throws Exception {
        Path out = fresh("threads");
        Path config = Files.writeString(out.resolve("threads.yaml"), "pipeline:\n  cores: 4\noutput:\n  encoder_threads: 3\n");
        Result r = ivfuse("run", "--config", config.toString(), "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", out.resolve("fused.mkv").toString(), "--engine", "max", "--codec", "ffv1",
                "--metrics-json", out.resolve("summary.json").toString(), "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("threads: 4 cores, light engine: decode 1 per input, fuse 1 x 1 (threads x intra-op),"
                + " encode 3 (set: output.encoder_threads); slowest stage: "), r.out());
        JsonNode threads = json(out.resolve("summary.json")).get("threads");
        assertEquals(4, threads.get("cores").asInt(), threads.toString());
        assertEquals("light", threads.get("engine_weight").asText(), threads.toString());
        assertEquals(1, threads.get("fusion").asInt(), threads.toString());
        assertEquals(3, threads.get("encoder").asInt(), threads.toString());
        assertEquals("output.encoder_threads", threads.get("set_by_config").asText(), threads.toString());
        String slowest = json(out.resolve("summary.json")).get("slowest_stage").asText();
        assertTrue(Set.of("decode_ir", "decode_vis", "pair", "register", "fuse", "encode").contains(slowest), slowest);
    }

    @Test
    void theProgressBarAndConsoleMetricsPrintToTheCommandsErrorStream() throws Exception {
        Path out = fresh("console");
        Path config = Files.writeString(out.resolve("console.yaml"), "metrics:\n  console_period_s: 60\n");
        Result r = ivfuse("run", "--config", config.toString(), "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", out.resolve("fused.mkv").toString(), "--engine", "max", "--codec", "ffv1", "--progress", "on");
        assertEquals(0, r.exit(), r.err());
        // Both end with a final report: the bar at 30/30, the reporter's meters (one report when the run ends).
        assertTrue(r.err().contains("] " + FRAMES + "/" + FRAMES + " frames"), "progress bar:\n" + r.err());
        assertTrue(r.err().contains(PipelineMetrics.OUTPUT_FRAMES) && r.err().contains("count = " + FRAMES),
                "console reporter:\n" + r.err());
        assertFalse(r.out().contains(PipelineMetrics.OUTPUT_FRAMES), "the summary alone goes to standard output");
    }

    @Test
    void aStageFailingMidRunStopsWithOneLineAndLeavesAPlayableFileOfWhatWasWritten() throws Exception {
        Path out = fresh("stage-failure");
        Path video = out.resolve("fused.mkv");
        Path csv = out.resolve("csv");
        Path config = Files.writeString(out.resolve("fail.yaml"), String.join("\n", "fusion:", "  params: {at: '12'}",
                "pipeline:", "  ring_size: 4", "metrics:", "  csv_dir: '" + csv + "'", ""));
        Result r = ivfuse("run", "--config", config.toString(), "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", video.toString(), "--engine", "test-fail", "--codec", "ffv1", "--progress", "off");
        assertEquals(2, r.exit(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.startsWith("ivfuse: error: ") && line.contains("at frame 12"), line);

        // The stages run concurrently, so not every frame before 12 need have reached the file; but
        // frame 12 entered the 4-slot ring only once the output stage had written frame 8.
        assertEquals("", FfmpegCli.decodeErrors(video.toString(), 60), "the partial file plays cleanly");
        List<byte[]> frames = TestVideos.readLuma(video);
        assertTrue(frames.size() >= 9 && frames.size() <= 12, frames.size() + " frames: 0..8 at least, none from 12 on");
        assertEquals(frames.size(), FfmpegCli.countFrames(video.toString(), 60), "ffprobe agrees");
        assertEquals(frames.size(), CsvMeters.framesOut(csv), "the run's own frame count matches the file");
        for (int k = 0; k < frames.size(); k++) {
            int expected = Math.max(TestVideos.gradient(k, 5, 7), 40 + 5 * k); // test-fail fuses like max
            assertEquals(expected, frames.get(k)[7 * W + 5] & 0xFF, 1, "frame " + k);
        }
    }

    @Test
    void theJmxReporterPublishesTheRunsMetricsWhileItRunsAndRemovesThemAfter() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName all = new ObjectName("ivfuse:*");
        ObjectName framesOut = new ObjectName("ivfuse:name=" + PipelineMetrics.OUTPUT_FRAMES + ",*");
        assertEquals(Set.of(), server.queryNames(all, null), "no ivfuse MBeans before the run");
        Path out = fresh("jmx");
        Path config = Files.writeString(out.resolve("jmx.yaml"), "pipeline:\n  ring_size: 8\nmetrics:\n  jmx: true\n");
        TestAverageEngineProvider.Gated.shut();
        AtomicReference<Result> result = new AtomicReference<>();
        Thread run = new Thread(() -> result.set(ivfuse("run", "--config", config.toString(), "--ir", ir.toString(),
                "--vis", vis.toString(), "-o", out.resolve("fused.mkv").toString(), "--engine", "test-gate",
                "--codec", "ffv1", "--progress", "off")), "jmx-test-run");
        run.start();
        try {
            // The engine holds frame AT, so the producer fills the 8-slot ring and waits: the run is
            // in flight, and JMX shows the live ring occupancy.
            ObjectName occupancy = new ObjectName("ivfuse:name=" + PipelineMetrics.RING_OCCUPANCY + ",*");
            Deadline.within(60, TimeUnit.SECONDS).until("JMX shows the ring full behind the held frame",
                    () -> attribute(server, occupancy, "Value") == 8);
            Set<String> names = server.queryNames(all, null).stream().map(n -> n.getKeyProperty("name")).collect(
                    java.util.stream.Collectors.toSet());
            for (String metric : List.of(PipelineMetrics.OUTPUT_FRAMES, PipelineMetrics.STAGE_FUSE, PipelineMetrics.STAGE_ENCODE,
                    PipelineMetrics.DROPPED_BACKPRESSURE, "ivfuse.input.vis.frames", "ivfuse.output.o0.frames")) {
                assertTrue(names.contains(metric), metric + " in " + names);
            }
            assertTrue(attribute(server, framesOut, "Count") < FRAMES, "the run is still in flight");
        } finally {
            TestAverageEngineProvider.Gated.open();
            run.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertFalse(run.isAlive(), "the run finished once the gate opened");
        assertEquals(0, result.get().exit(), result.get().err());
        assertEquals(Set.of(), server.queryNames(all, null), "the reporter unregisters its MBeans when the run ends");
    }

    /** A numeric attribute of the first MBean matching {@code pattern}, or -1 while there is none. */
    private static long attribute(MBeanServer server, ObjectName pattern, String attribute) {
        try {
            Set<ObjectName> names = server.queryNames(pattern, null);
            return names.isEmpty() ? -1 : ((Number) server.getAttribute(names.iterator().next(), attribute)).longValue();
        } catch (javax.management.JMException e) {
            return -1; // unregistered meanwhile
        }
    }

    @Test
    void temporalStabilityTellsAFlickeringFusionFromAStableOne() throws Exception {
        // A still scene: any change of the fused video is flicker its sources do not have.
        Path out = fresh("stability");
        Path stillVis = TestVideos.write(out.resolve("still-vis.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> TestVideos.gradient(0, x, y));
        Path stillIr = TestVideos.write(out.resolve("still-ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 90 + x);
        double stable = stability(out, stillVis, stillIr, "test-average");
        double flicker = stability(out, stillVis, stillIr, "test-flicker");
        assertEquals(0.0, stable, "an average of still sources is still");
        assertEquals(TestAverageEngineProvider.Flicker.LEVELS, flicker, 1e-9,
                "every frame pair changes by the flicker's levels at every pixel");
    }

    private static double stability(Path out, Path visible, Path infrared, String engine) throws Exception {
        Path json = out.resolve(engine + ".json");
        Result r = ivfuse("run", "--ir", infrared.toString(), "--vis", visible.toString(), "-o", out.resolve(engine + ".mkv").toString(),
                "--engine", engine, "--codec", "ffv1", "--temporal-stability", "--metrics-json", json.toString(), "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        JsonNode s = json(json);
        assertEquals(FRAMES, s.get("frames_out").asInt());
        return s.get("quality").get("temporal_stability").asDouble();
    }
}
