package io.ivfuse.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.testing.CameraClips;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.RtspTestServer;
import io.ivfuse.testing.TestVideos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live operation against a real RTSP server on 127.0.0.1 (GStreamer's, started by the test): two
 * cameras read at once, a server killed and restarted mid-run, a camera frozen with SIGSTOP while
 * the other keeps flowing. Waits are polls with deadlines on the job's own metrics.
 */
class LiveRtspTest {
    @TempDir
    static Path dir;
    static CameraClips clips;

    @BeforeAll
    static void clips() {
        clips = CameraClips.write(dir);
    }

    /** A live run of {@code average} fusion into a Matroska file, with fast fault detection. */
    static IvfuseConfig liveConfig(String vis, String ir, Path out) {
        IvfuseConfig c = new IvfuseConfig();
        c.input.vis = InputSpec.of(vis);
        c.input.ir = InputSpec.of(ir);
        c.input.live.timeoutMs = 2000;
        c.input.live.stallTimeoutMs = 1500;
        c.input.live.reconnectInitialMs = 200;
        c.input.live.reconnectMaxMs = 1000;
        c.fusion.engine = "average";
        c.output.path = out.toString();
        c.output.codec = "mpeg4";
        c.metrics.progress = "off";
        return c;
    }

    /** A job running on its own thread, with what it printed. */
    static final class RunningJob {
        final FusionJob job;
        final StringWriter console = new StringWriter();
        final CompletableFuture<RunSummary> result;

        RunningJob(IvfuseConfig c) {
            job = new FusionJob(c, new PrintWriter(console, true));
            result = CompletableFuture.supplyAsync(job::run);
        }

        PipelineMetrics metrics() {
            Deadline.within(20, TimeUnit.SECONDS).until("the job has started", () -> job.metrics() != null);
            return job.metrics();
        }

        RunSummary stop() throws Exception {
            job.requestStop();
            return result.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsTwoLiveCamerasAndFusesThem() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            Path out = dir.resolve("two-cameras.mkv");
            IvfuseConfig c = liveConfig(server.url("vis"), server.url("ir"), out);
            c.pipeline.maxFrames = 45;
            RunSummary s = new FusionJob(c, new PrintWriter(new StringWriter())).run();
            assertEquals(45, s.framesOut);
            assertTrue(s.paired + s.held >= 35, "most frames are fused: paired " + s.paired + ", held " + s.held
                    + ", visible only " + s.visibleOnly);
            assertEquals(45, TestVideos.readLuma(out).size(), "every frame reached the file");
        }
    }

    @Test
    void aServerKilledAndRestartedMidRunIsReconnectedAndOutputResumes() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            Path out = dir.resolve("restart.mkv");
            RunningJob run = new RunningJob(liveConfig(server.url("vis"), server.url("ir"), out));
            PipelineMetrics m = run.metrics();
            Deadline.within(20, TimeUnit.SECONDS).until("frames flow", () -> m.framesOut.getCount() >= 20);

            server.kill();
            Deadline.within(10, TimeUnit.SECONDS).until("both inputs noticed the loss",
                    () -> !m.vis.online() && !m.ir.online());
            long beforeRestart = m.framesOut.getCount();
            server.restart();
            Deadline.within(30, TimeUnit.SECONDS).until("both inputs reconnected and output resumed",
                    () -> m.vis.reconnects.getCount() >= 1 && m.ir.reconnects.getCount() >= 1
                            && m.framesOut.getCount() >= beforeRestart + 20);
            long pairedBefore = m.framesOut.getCount();
            Deadline.within(10, TimeUnit.SECONDS).until("fusion resumed (pairs, not visible-only frames)",
                    () -> m.framesOut.getCount() > pairedBefore + 10 && m.vis.online() && m.ir.online());

            RunSummary s = run.stop();
            assertTrue(s.interrupted);
            assertEquals(s.framesOut, TestVideos.readLuma(out).size(), "the file holds every frame written\n" + run.console);
        }
    }

    @Test
    void aFrozenCameraIsDetectedWhileTheOtherKeepsFlowing() throws Exception {
        try (RtspTestServer visServer = RtspTestServer.start(Map.of("vis", clips.visible()), null);
             RtspTestServer irServer = RtspTestServer.start(Map.of("ir", clips.infrared()), null)) {
            Path out = dir.resolve("stall.mkv");
            RunningJob run = new RunningJob(liveConfig(visServer.url("vis"), irServer.url("ir"), out));
            PipelineMetrics m = run.metrics();
            Deadline.within(20, TimeUnit.SECONDS).until("fused frames flow", () -> m.framesOut.getCount() >= 20);

            irServer.pause();
            long frozenAt = System.nanoTime();
            Deadline.within(10, TimeUnit.SECONDS).until("the IR stall is detected", () -> m.ir.stalls.getCount() >= 1);
            double detectedAfter = (System.nanoTime() - frozenAt) / 1e9;
            assertTrue(detectedAfter < 1.5 + 1.5, "stall detected " + detectedAfter + " s after the freeze (timeout 1.5 s)");
            long visibleOnlyAtDetection = m.visibleOnly.getCount();
            Deadline.within(10, TimeUnit.SECONDS).until("visible frames keep flowing, unfused",
                    () -> m.visibleOnly.getCount() >= visibleOnlyAtDetection + 15);

            irServer.resume();
            Deadline.within(30, TimeUnit.SECONDS).until("the IR input comes back", () -> m.ir.online()
                    && m.ir.reconnects.getCount() >= 1);
            long pairsAtReturn = m.framesOut.getCount() - m.visibleOnly.getCount();
            Deadline.within(10, TimeUnit.SECONDS).until("fusion resumes",
                    () -> m.framesOut.getCount() - m.visibleOnly.getCount() >= pairsAtReturn + 15);
            RunSummary s = run.stop();
            assertEquals(0L, s.inputs.get("vis").get("stalls"), "the visible camera never stalled");
            assertEquals(s.framesOut, TestVideos.readLuma(out).size());
        }
    }

    @Test
    void whileTheVisibleCameraIsDownTheIrFramesCanGoOutAlone() throws Exception {
        try (RtspTestServer visServer = RtspTestServer.start(Map.of("vis", clips.visible()), null);
             RtspTestServer irServer = RtspTestServer.start(Map.of("ir", clips.infrared()), null)) {
            Path out = dir.resolve("ir-only.mkv");
            IvfuseConfig c = liveConfig(visServer.url("vis"), irServer.url("ir"), out);
            c.sync.visibleDown = IvfuseConfig.VisibleDown.IR_ONLY;
            RunningJob run = new RunningJob(c);
            PipelineMetrics m = run.metrics();
            Deadline.within(20, TimeUnit.SECONDS).until("fused frames flow", () -> m.framesOut.getCount() >= 20);

            visServer.kill();
            Deadline.within(20, TimeUnit.SECONDS).until("IR frames go out alone", () -> m.irOnly.getCount() >= 15);
            visServer.restart();
            long fusedBefore = m.framesOut.getCount() - m.irOnly.getCount() - m.visibleOnly.getCount();
            Deadline.within(30, TimeUnit.SECONDS).until("fusion resumes when the visible camera is back",
                    () -> m.framesOut.getCount() - m.irOnly.getCount() - m.visibleOnly.getCount() >= fusedBefore + 15);
            RunSummary s = run.stop();
            assertTrue(s.irOnly >= 15, "IR-only frames: " + s.irOnly);
            assertEquals(s.framesOut, TestVideos.readLuma(out).size(), "every frame, IR-only ones included, is in the file");
        }
    }
}
