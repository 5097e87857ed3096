package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.CameraClips;
import io.ivfuse.testing.CsvMeters;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.RtspTestServer;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ivfuse run` as a separate process against a real RTSP server: credentials never printed,
 * SIGTERM finishing every output, and a camera lost for good ending with exit code 3.
 */
class LiveProcessTest {
    static final String PASSWORD = "s3cret-Pw9";

    @TempDir
    static Path dir;
    static CameraClips clips;

    @BeforeAll
    static void clips() {
        clips = CameraClips.write(dir);
    }

    /** Starts `ivfuse run` with a config file (written from {@code yaml}) plus flags; output to {@code log}. */
    static Process ivfuse(Path log, String yaml, String... flags) throws IOException {
        Path config = Files.writeString(Files.createTempFile(dir, "run", ".yaml"), yaml);
        List<String> cmd = new ArrayList<>(IvfuseProcess.command("run", "--config", config.toString(),
                "--engine", "average", "--codec", "mpeg4", "--progress", "off"));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("IVFUSE_TEST_PASSWORD", PASSWORD);
        return pb.start();
    }

    static String fastFaults() {
        return "  live: {timeout_ms: 2000, stall_timeout_ms: 1500, reconnect_initial_ms: 200, reconnect_max_ms: 1000";
    }

    static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void credentialsNeverAppearInLogsErrorsOrTheSummary() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), "admin:" + PASSWORD)) {
            Path log = dir.resolve("credentials.log");
            Path json = dir.resolve("credentials.json");
            Path csv = Files.createDirectories(dir.resolve("credentials-csv"));
            String yaml = "input:\n  vis: 'rtsp://admin:${IVFUSE_TEST_PASSWORD}@127.0.0.1:" + server.port() + "/vis'\n"
                    + fastFaults() + "}\nmetrics: {csv_dir: '" + csv + "'}\n";
            Process p = ivfuse(log, yaml, "--ir", server.url("ir", "admin", PASSWORD), "-o", dir.resolve("credentials.mkv").toString(),
                    "--max-frames", "30", "--metrics-json", json.toString());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), read(log));
            assertEquals(0, p.exitValue(), read(log));
            String everything = read(log) + Files.readString(json) + csvContents(csv);
            assertFalse(everything.contains(PASSWORD), "the password leaked:\n" + everything);
            assertTrue(read(log).contains("rtsp://***@127.0.0.1:" + server.port() + "/ir"), read(log));

            Path badLog = dir.resolve("wrong-password.log");
            Process bad = ivfuse(badLog, "input:\n" + fastFaults() + "}\n", "--ir", server.url("ir", "admin", "not-" + PASSWORD),
                    "--vis", server.url("vis", "admin", "not-" + PASSWORD), "-o", dir.resolve("wrong.mkv").toString());
            assertTrue(bad.waitFor(60, TimeUnit.SECONDS), read(badLog));
            assertEquals(2, bad.exitValue(), read(badLog));
            String error = read(badLog);
            assertTrue(error.contains("ivfuse: error: ") && error.contains("401"), "names the authentication failure:\n" + error);
            assertFalse(error.contains(PASSWORD), error);
            assertFalse(Files.exists(dir.resolve("wrong.mkv")), "no output is left behind");
        }
    }

    private static String csvContents(Path csvDir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(csvDir)) {
            for (Path f : files.toList()) {
                all.append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return all.toString();
    }

    /** A live run of both cameras of {@code server}, with its log, summary, output and CSV metrics, writing frames. */
    record LiveRun(Process process, Path log, Path json, Path out) {
        static LiveRun start(String name, RtspTestServer server, String extraLive, String extension) throws IOException {
            Path log = dir.resolve(name + ".log");
            Path json = dir.resolve(name + ".json");
            Path out = dir.resolve(name + extension);
            Path csv = Files.createDirectories(dir.resolve(name + "-csv"));
            Process p = ivfuse(log, "input:\n" + fastFaults() + extraLive + "}\nmetrics: {csv_dir: '" + csv + "'}\n",
                    "--vis", server.url("vis"), "--ir", server.url("ir"), "-o", out.toString(), "--metrics-json", json.toString());
            Deadline.within(30, TimeUnit.SECONDS).until("frames are written", () -> CsvMeters.framesOut(csv) >= 15);
            return new LiveRun(p, log, json, out);
        }

        JsonNode summary() throws IOException {
            return new ObjectMapper().readTree(json.toFile());
        }
    }

    @Test
    void sigtermFinishesTheRecordingOfALiveRun() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            LiveRun run = LiveRun.start("sigterm", server, "", ".mp4");
            long t0 = System.nanoTime();
            run.process().toHandle().destroy(); // SIGTERM
            assertTrue(run.process().waitFor(15, TimeUnit.SECONDS), "stopped promptly\n" + read(run.log()));
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "stopped within 10 s");
            assertEquals(0, run.process().exitValue(), "a stop request is a normal end\n" + read(run.log()));
            JsonNode s = run.summary();
            assertTrue(s.get("interrupted").asBoolean());
            long written = s.get("frames_out").asLong();
            assertTrue(written >= 15, read(run.log()));
            assertEquals(written, TestVideos.readLuma(run.out()).size(), "the MP4 is finalised with every frame written");
        }
    }

    @Test
    void aCameraLostForGoodEndsTheRunWithExitCodeThree() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            LiveRun run = LiveRun.start("lost", server, ", max_reconnects: 2", ".mkv");
            server.kill();
            assertTrue(run.process().waitFor(30, TimeUnit.SECONDS), "gave up after its reconnection attempts\n" + read(run.log()));
            assertEquals(3, run.process().exitValue(), read(run.log()));
            String text = read(run.log());
            assertTrue(text.contains("ivfuse: error: ") && text.contains("lost and not back after 2 reconnection attempts"), text);
            JsonNode s = run.summary();
            assertNotNull(s.get("input_lost").textValue(), "the summary says why the run ended");
            assertEquals(s.get("frames_out").asLong(), TestVideos.readLuma(run.out()).size(), "the recording is complete and playable");
        }
    }
}
