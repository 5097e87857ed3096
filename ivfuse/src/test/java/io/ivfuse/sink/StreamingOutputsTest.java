package io.ivfuse.sink;

import static io.ivfuse.sink.OutputTesting.config;
import static io.ivfuse.sink.OutputTesting.everyNth;
import static io.ivfuse.sink.OutputTesting.frames;
import static io.ivfuse.sink.OutputTesting.ivfuseOk;
import static io.ivfuse.sink.OutputTesting.keyFrames;
import static io.ivfuse.sink.OutputTesting.mad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.Natives;
import io.ivfuse.config.IvfuseConfig.OutputEntry;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.LocalPorts;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network outputs end to end: ivfuse streams, a separate FFmpeg process receives (or serves), and
 * what it got is decoded and compared with what ivfuse wrote to a file in the same run.
 */
class StreamingOutputsTest {
    static final int FRAMES = 120;
    static final int W = 160;
    static final int H = 120;
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;
    private final List<Process> receivers = new java.util.ArrayList<>();

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), W, H, 30, FRAMES, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 30 + (x * 2 + y + i * 11) % 190);
    }

    @AfterEach
    void stopReceivers() throws InterruptedException {
        for (Process p : receivers) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process receiver(String name, String... args) {
        Process p = FfmpegCli.start(dir.resolve(name + ".log"), args);
        receivers.add(p);
        return p;
    }

    private static void assertFinished(Process p, String name) throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), name + " did not finish:\n" + OutputTesting.read(dir.resolve(name + ".log")));
        assertEquals(0, p.exitValue(), name + ":\n" + OutputTesting.read(dir.resolve(name + ".log")));
    }

    private static String[] run(String... args) {
        return Stream.concat(Stream.of("--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average"),
                Stream.of(args)).toArray(String[]::new);
    }

    @Test
    void udpAndAFileGetTheSameFramesWithARegularGop() throws Exception {
        int port = LocalPorts.freeUdp();
        Path ts = dir.resolve("udp.ts");
        Process rx = receiver("udp-rx", "-i", "udp://127.0.0.1:" + port + "?timeout=3000000", "-c", "copy",
                "-frames:v", String.valueOf(FRAMES), "-f", "mpegts", "-y", ts.toString());
        LocalPorts.awaitUdpBound(port, 15);
        Path file = dir.resolve("same.mkv");
        Path cfg = config(dir, "udp.yaml", "outputs:",
                "  - {uri: '" + file + "', codec: ffv1}",
                "  - {uri: 'udp://127.0.0.1:" + port + "', queue_size: 200}");
        OutputTesting.Run r = ivfuseOk(dir, run("--config", cfg.toString()));
        assertFinished(rx, "udp-rx");

        assertEquals("udp", r.output("o1").get("kind").asText());
        assertEquals(FRAMES, r.output("o1").get("frames").asInt(), r.summary().toString());
        assertEquals(0, r.output("o1").get("dropped").asInt());
        assertEquals(FRAMES, r.output("o0").get("frames").asInt());
        List<byte[]> written = TestVideos.readLuma(file);
        List<byte[]> received = TestVideos.readLuma(ts);
        assertEquals(FRAMES, written.size());
        assertEquals(FRAMES, received.size(), "frames the receiver got");
        for (int k = 0; k < FRAMES; k++) {
            double same = mad(received.get(k), written.get(k));
            assertTrue(same < 2.5, "frame " + k + " differs from the file's by " + same);
            if (k + 1 < FRAMES) {
                assertTrue(same < mad(received.get(k), written.get(k + 1)), "frame " + k + " is the file's frame " + k);
            }
        }
        // Live encoding: a keyframe at least every second (30 frames; the encoder may add one at
        // a scene change), never a B-frame.
        List<OutputTesting.FrameInfo> info = frames(ts.toString());
        List<Integer> keys = keyFrames(info);
        assertEquals(0, keys.get(0));
        for (int i = 0; i < keys.size(); i++) {
            int next = i + 1 < keys.size() ? keys.get(i + 1) : FRAMES;
            assertTrue(next - keys.get(i) <= 30, "keyframes " + keys);
        }
        assertTrue(info.stream().noneMatch(f -> "B".equals(f.type())), "no B-frames");
    }

    @Test
    void filesGetARegularGopOfGopSeconds() {
        // A smoothly moving scene, without the cuts at which an encoder may add keyframes of its
        // own: keyframes exactly every gop_seconds.
        Path smooth = TestVideos.write(dir.resolve("smooth.mkv"), W, H, 30, FRAMES, "ffv1",
                (i, x, y) -> 100 + (int) Math.round(60 * Math.sin((x + 2 * i) / 12.0)) + y / 4);
        Path file = dir.resolve("gop.mp4");
        Path half = dir.resolve("gop-half.mkv");
        OutputTesting.Run r = ivfuseOk(dir, "--ir", smooth.toString(), "--vis", smooth.toString(), "--engine", "average",
                "-o", file.toString());
        List<OutputTesting.FrameInfo> info = frames(file.toString());
        assertEquals(FRAMES, info.size());
        assertEquals(everyNth(30, FRAMES), keyFrames(info), "encoder " + r.output("o0").get("encoder"));
        ivfuseOk(dir, "--ir", smooth.toString(), "--vis", smooth.toString(), "--engine", "average", "-o", half.toString(),
                "--gop", "0.5");
        assertEquals(everyNth(15, FRAMES), keyFrames(frames(half.toString())));
        assertTrue(info.stream().noneMatch(f -> "B".equals(f.type())), "no B-frames");
    }

    @Test
    void srtCallerReachesAListeningReceiverWithItsPassphraseHidden() throws Exception {
        int port = LocalPorts.freeUdp();
        Path ts = dir.resolve("srt.ts");
        String secret = "s3cretPassphrase";
        // A file input goes out much faster than real time: SRT's too-late packet drop is off at
        // both ends so that every frame can be counted.
        Process rx = receiver("srt-rx", "-i", "srt://127.0.0.1:" + port + "?mode=listener&listen_timeout=20000000"
                + "&tlpktdrop=0&passphrase=" + secret, "-c", "copy", "-f", "mpegts", "-y", ts.toString());
        LocalPorts.awaitUdpBound(port, 15);
        Path cfg = config(dir, "srt.yaml", "outputs:",
                "  - {uri: 'srt://127.0.0.1:" + port + "?passphrase=" + secret + "', id: field, queue_size: 200,"
                        + " options: {tlpktdrop: '0'}}");
        OutputTesting.Run r = ivfuseOk(dir, run("--config", cfg.toString()));
        assertFinished(rx, "srt-rx"); // the stream ended when ivfuse closed it
        assertEquals(FRAMES, r.output("field").get("frames").asInt(), r.summary().toString());
        // Everything arrives in order, from the first frame on; an FFmpeg receiver may miss the
        // last few when the sender hangs up (still in its SRT buffer: live mode has no end of stream).
        List<OutputTesting.FrameInfo> got = frames(ts.toString());
        assertTrue(got.size() >= FRAMES - 8 && got.size() <= FRAMES, got.size() + " frames received");
        for (int i = 1; i < got.size(); i++) {
            assertEquals(1 / 30.0, got.get(i).pts() - got.get(i - 1).pts(), 1e-3, "no frame missing before frame " + i);
        }
        assertEquals("srt://127.0.0.1:" + port + "?passphrase=***", r.output("field").get("uri").asText());
        assertFalse(r.all().contains(secret), "the passphrase is never shown:\n" + r.all());
    }

    @Test
    void srtListenerServesACallerAndClosesPromptly() throws Exception {
        Natives.ffmpeg();
        int port = LocalPorts.freeUdp();
        IvfuseConfig c = new IvfuseConfig();
        c.outputs.add(OutputEntry.of("srt://127.0.0.1:" + port + "?mode=listener"));
        FrameGeometry g = new FrameGeometry(W, H, W, H);
        OutputSet set = new OutputSet(c, new MetricRegistry());
        set.open(g, 30);
        FrameSink sink = set.sinks().get(0);
        try {
            LocalPorts.awaitUdpBound(port, 15);
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("ivfuse.out.o0")),
                    "the output's own thread, named by its id");
            Path ts = dir.resolve("caller.ts");
            Process caller = receiver("srt-caller", "-i", "srt://127.0.0.1:" + port, "-c", "copy", "-frames:v", "30",
                    "-f", "mpegts", "-y", ts.toString());
            FrameEvent e = new FrameEvent(g);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; caller.isAlive() && System.nanoTime() < deadline; i++) {
                for (int p = 0; p < g.outputBytes(); p++) {
                    e.output.put(p, (byte) (p < W * H ? 16 + (p + 7 * i) % 220 : 128));
                }
                e.index = i;
                e.visibleUs = i * 1_000_000L / 30;
                sink.write(e, g);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a live source's pace, not a synchronisation
            }
            assertFinished(caller, "srt-caller");
            assertEquals(30, FfmpegCli.countFrames(ts.toString(), 30));
        } finally {
            long t0 = System.nanoTime();
            sink.close();
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 3, "closing a listener waiting for its next caller took " + seconds + " s");
        }
        RunSummary s = new RunSummary();
        set.report(s);
        assertTrue(s.outputs.get("o0").frames >= 30, "frames sent: " + s.outputs.get("o0").frames);
    }

    @Test
    void vanishedAndAbsentReceiversNeverHoldUpTheFile() throws Exception {
        int longFrames = 600;
        Path longVis = TestVideos.write(dir.resolve("long-vis.mkv"), W, H, 30, longFrames, "ffv1", TestVideos::gradient);
        int srtPort = LocalPorts.freeUdp();
        Process rx = receiver("vanishing-rx", "-i", "srt://127.0.0.1:" + srtPort + "?mode=listener&listen_timeout=20000000",
                "-frames:v", "10", "-f", "null", "-");
        LocalPorts.awaitUdpBound(srtPort, 15);
        int nobodyUdp = LocalPorts.freeUdp();
        int nobodyTcp = LocalPorts.freeTcp();
        Path file = dir.resolve("kept.mp4");
        Path csv = dir.resolve("csv");
        Path cfg = config(dir, "vanish.yaml", "outputs:",
                "  - '" + file + "'",
                "  - srt://127.0.0.1:" + srtPort,
                "  - udp://127.0.0.1:" + nobodyUdp,
                "  - {uri: 'rtsp://admin:secret@127.0.0.1:" + nobodyTcp + "/live', id: cam}",
                "metrics:", "  csv_dir: '" + csv + "'");
        long t0 = System.nanoTime();
        OutputTesting.Run r = ivfuseOk(dir, "--ir", longVis.toString(), "--vis", longVis.toString(), "--engine", "average",
                "--config", cfg.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFinished(rx, "vanishing-rx");

        assertEquals(longFrames, FfmpegCli.countFrames(file.toString(), 30), "the file has every frame");
        assertEquals(longFrames, r.output("o0").get("frames").asInt());
        assertTrue(seconds < 30, "run took " + seconds + " s");
        assertTrue(r.output("o1").get("frames").asInt() >= 10, r.summary().toString());
        // The absent RTSP server: retried in the background, reported once, never fatal.
        assertEquals(0, r.output("cam").get("frames").asInt());
        assertEquals(longFrames, r.output("cam").get("dropped").asInt(), "every frame dropped and counted: " + r.summary());
        for (String id : List.of("o1", "o2")) {
            assertEquals(longFrames, r.output(id).get("frames").asInt() + r.output(id).get("dropped").asInt(), id + ": " + r.summary());
        }
        assertEquals("rtsp://***@127.0.0.1:" + nobodyTcp + "/live", r.output("cam").get("uri").asText());
        String warning = "output rtsp://***@127.0.0.1:" + nobodyTcp + "/live [cam]: cannot open (Connection refused)";
        assertEquals(1, r.log().split(java.util.regex.Pattern.quote(warning), -1).length - 1, "logged once:\n" + r.log());
        assertFalse(r.all().contains("secret"), "credentials never shown:\n" + r.all());
        assertTrue(Files.exists(csv.resolve("ivfuse.output.cam.dropped.csv")), "metrics named by the output's id");
        try (Stream<Path> files = Files.list(csv)) {
            for (Path f : files.toList()) {
                assertFalse(f.getFileName().toString().contains("secret") || Files.readString(f).contains("secret"), f.toString());
            }
        }
    }

    @Test
    void publishesToRtmpAndRtspServers() throws Exception {
        int rtmpPort = LocalPorts.freeTcp();
        int rtspPort = LocalPorts.freeTcp();
        Path flv = dir.resolve("rtmp.flv");
        Path ts = dir.resolve("rtsp.ts");
        Process rtmp = receiver("rtmp-server", "-listen", "1", "-i", "rtmp://127.0.0.1:" + rtmpPort + "/live/fused",
                "-c", "copy", "-f", "flv", "-y", flv.toString());
        Process rtsp = receiver("rtsp-server", "-rtsp_flags", "listen", "-i", "rtsp://127.0.0.1:" + rtspPort + "/live",
                "-c", "copy", "-f", "mpegts", "-y", ts.toString());
        LocalPorts.awaitTcpListening(rtmpPort, 15);
        LocalPorts.awaitTcpListening(rtspPort, 15);
        Path cfg = config(dir, "servers.yaml", "outputs:",
                "  - {uri: 'rtmp://127.0.0.1:" + rtmpPort + "/live/fused', queue_size: 200}",
                "  - {uri: 'rtsp://127.0.0.1:" + rtspPort + "/live', queue_size: 200}");
        OutputTesting.Run r = ivfuseOk(dir, run("--config", cfg.toString()));
        assertFinished(rtmp, "rtmp-server");
        assertFinished(rtsp, "rtsp-server");
        assertEquals(FRAMES, r.output("o0").get("frames").asInt(), r.summary().toString());
        assertEquals(FRAMES, r.output("o1").get("frames").asInt(), r.summary().toString());
        assertEquals(FRAMES, FfmpegCli.countFrames(flv.toString(), 30));
        assertEquals(FRAMES, FfmpegCli.countFrames(ts.toString(), 30));
    }

}
