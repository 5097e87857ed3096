package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FailingEngineProvider;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.source.LumaRange;
import io.ivfuse.testing.FileInputs;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage threads, sessions and sinks: who opens and closes what, on which thread, and what a failure leaves. */
class PipelineLifecycleTest {
    static final int W = 64;
    static final int H = 48;
    static final int FRAMES = 60;

    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 20 + 3 * i);
        ir = TestVideos.write(dir.resolve("ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> 230 - 2 * i);
    }

    /** Runs the pipeline with {@code engine} into {@code sinks}. */
    static RunSummary run(FusionEngine engine, List<FrameSink> sinks, PipelineSettings settings) {
        try (FileInputs in = new FileInputs(vis, ir, new PipelineMetrics())) {
            return new FusionPipeline(in.visible.queue(), in.infrared.queue(), in.pairer(), (a, b) -> b.copyFrom(a), engine,
                    sinks, in.geometry(), settings, new PipelineMetrics(), null).run();
        }
    }

    /** Records the fused luminance at the centre of each frame, and the thread that closed it. */
    static final class Recorder implements FrameSink {
        final List<Integer> centre = new ArrayList<>();
        final List<FrameKind> kinds = new ArrayList<>();
        String closedOn;

        @Override
        public void write(FrameEvent frame, FrameGeometry geometry) {
            centre.add(frame.fusedY.get(W / 2, H / 2));
            kinds.add(frame.kind);
        }

        @Override
        public void close() {
            closedOn = Thread.currentThread().getName();
        }
    }

    @Test
    void fusionSessionsAreOpenedAndClosedOnTheirOwnThreads() {
        FailingEngineProvider.SESSION_EVENTS.clear();
        try (FusionEngine engine = FusionEngines.create("test-fail", EngineOptions.defaults())) {
            assertEquals(FRAMES, run(engine, List.of(new Recorder()), new PipelineSettings(8, 2, IvfuseConfig.Backpressure.BLOCK, 0)).framesOut);
        }
        List<String> events = new ArrayList<>(FailingEngineProvider.SESSION_EVENTS);
        events.sort(null);
        assertEquals(List.of("close:ivfuse-fuse-0", "close:ivfuse-fuse-1", "open:ivfuse-fuse-0", "open:ivfuse-fuse-1"), events);
    }

    @Test
    void aStageThatThrowsEndsTheRunWithItsErrorAndTheVideoIsStillPlayable() {
        Path out = dir.resolve("failed.mkv");
        Recorder recorder = new Recorder();
        FrameSink video = new FrameSink() {
            final VideoEncoder encoder = VideoEncoder.open(out, W, H, 30, new EncoderSettings("ffv1", 0, null, false));

            @Override
            public void write(FrameEvent frame, FrameGeometry geometry) {
                encoder.write(frame.output, frame.visibleUs);
            }

            @Override
            public void close() {
                encoder.close();
            }
        };
        try (FusionEngine engine = FusionEngines.create("test-fail", new EngineOptions(null, 0, Map.of("at", "25")))) {
            IvfuseException e = assertThrows(IvfuseException.class,
                    () -> run(engine, List.of(recorder, video), new PipelineSettings(8, 1, IvfuseConfig.Backpressure.BLOCK, 0)));
            assertTrue(e.getMessage().contains("engine failure injected at frame 25"), e.getMessage());
        }
        int written = recorder.centre.size();
        // Frames fused before the failure may or may not have reached the output by then; none after it do.
        assertTrue(written > 0 && written <= 25, "frames written: " + written);
        assertEquals("main", recorder.closedOn, "sinks are closed by the caller, after the stage threads ended");
        assertEquals(written, TestVideos.readLuma(out).size(), "the video is finished and holds every frame written");
    }

    @Test
    void maxFpsFusesOnlyThatManyFramesAndPassesTheOthersThrough() {
        Recorder recorder = new Recorder();
        PipelineSettings tenFps = new PipelineSettings(8, 1, IvfuseConfig.Backpressure.BLOCK, 0, false, 10,
                IvfuseConfig.Skipped.PASS, IvfuseConfig.VisibleDown.PAUSE);
        try (FusionEngine engine = FusionEngines.create("max", EngineOptions.defaults())) {
            RunSummary s = run(engine, List.of(recorder), tenFps);
            assertEquals(FRAMES, s.framesOut);
            assertEquals(FRAMES * 2 / 3, s.skipped, "30 fps input at max_fps 10: two of three frames skipped");
        }
        for (int i = 0; i < FRAMES; i++) {
            boolean fused = i % 3 == 0;
            assertEquals(fused ? FrameKind.FUSED : FrameKind.SKIPPED, recorder.kinds.get(i), "frame " + i);
            int expected = fused ? Math.max(LumaRange.toFull(20 + 3 * i), LumaRange.toFull(230 - 2 * i)) : LumaRange.toFull(20 + 3 * i);
            assertEquals(expected, recorder.centre.get(i), 1, "frame " + i);
        }
    }

    @Test
    void skippedFramesCanRepeatTheLastFusedOne() {
        Recorder recorder = new Recorder();
        PipelineSettings hold = new PipelineSettings(8, 2, IvfuseConfig.Backpressure.BLOCK, 0, false, 10,
                IvfuseConfig.Skipped.HOLD, IvfuseConfig.VisibleDown.PAUSE);
        try (FusionEngine engine = FusionEngines.create("max", EngineOptions.defaults())) {
            run(engine, List.of(recorder), hold);
        }
        for (int i = 0; i < FRAMES; i++) {
            int lastFused = i - i % 3;
            int expected = Math.max(LumaRange.toFull(20 + 3 * lastFused), LumaRange.toFull(230 - 2 * lastFused));
            assertEquals(expected, recorder.centre.get(i), 1, "frame " + i + " shows fused frame " + lastFused);
        }
    }
}
