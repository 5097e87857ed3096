package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.source.LumaRange;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FileInputs;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusionPipelineTest {
    static final int W = 64;
    static final int H = 48;
    static final int FRAMES = 60;

    @TempDir
    static Path dir;
    static Path visibleFile;
    static Path infraredFile;

    /** Visible luminance of frame i: a per-frame constant; IR: another; so each fused frame is identifiable. */
    static int visibleLuma(int i) {
        return 20 + 3 * i;
    }

    static int infraredLuma(int i) {
        return 230 - 2 * i;
    }

    @BeforeAll
    static void writeInputs() {
        visibleFile = TestVideos.write(dir.resolve("vis.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> visibleLuma(i));
        infraredFile = TestVideos.write(dir.resolve("ir.mkv"), W, H, 30, FRAMES, "ffv1", (i, x, y) -> infraredLuma(i));
    }

    /** Records what reaches the output; {@code hold}, when given, runs inside the first write (a stalled sink). */
    static final class RecordingSink implements FrameSink {
        final List<Long> indices = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<Integer> fusedLuma = new ArrayList<>();
        final Runnable hold;
        boolean closed;

        RecordingSink(Runnable hold) {
            this.hold = hold;
        }

        @Override
        public void write(FrameEvent frame, FrameGeometry geometry) {
            indices.add(frame.index);
            times.add(frame.visibleUs);
            fusedLuma.add(frame.fusedY.get(W / 2, H / 2));
            if (hold != null && indices.size() == 1) {
                hold.run();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final int RING = 4;

    /** Ring slots taken, from the pipeline's own gauge. */
    static long ringOccupancy(PipelineMetrics metrics) {
        var gauge = metrics.registry.getGauges().get(PipelineMetrics.RING_OCCUPANCY);
        return gauge == null ? 0 : ((Number) gauge.getValue()).longValue();
    }

    static RunSummary run(RecordingSink sink, int threads, Backpressure mode, PipelineMetrics metrics) {
        try (FileInputs in = new FileInputs(visibleFile, infraredFile, metrics);
             FusionEngine engine = FusionEngines.create("average", EngineOptions.defaults())) {
            FusionPipeline p = new FusionPipeline(in.visible.queue(), in.infrared.queue(), in.pairer(),
                    (src, dst) -> dst.copyFrom(src), engine, List.of(sink), in.geometry(),
                    new PipelineSettings(RING, threads, mode, 0), metrics, null);
            return p.run();
        }
    }

    static int expectedFused(int i) {
        return (LumaRange.toFull(visibleLuma(i)) + LumaRange.toFull(infraredLuma(i)) + 1) / 2;
    }

    @Test
    void blockModeNeverDropsUnderAStalledStage() {
        PipelineMetrics metrics = new PipelineMetrics();
        // The sink holds its first frame until the ring is full: the producer can only wait.
        RecordingSink stalled = new RecordingSink(() -> Deadline.within(30, TimeUnit.SECONDS)
                .until("the ring is full behind the stalled sink", () -> ringOccupancy(metrics) == RING));
        RunSummary s = run(stalled, 1, Backpressure.BLOCK, metrics);
        assertEquals(FRAMES, s.framesOut);
        assertEquals(0, s.droppedBackpressure);
        assertEquals(FRAMES, stalled.indices.size());
        assertTrue(stalled.closed, "sinks are closed at the end");
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(i, stalled.indices.get(i));
            assertEquals(expectedFused(i), stalled.fusedLuma.get(i), 1, "frame " + i);
        }
    }

    @Test
    void dropOldestDropsAndCountsUnderAStalledStage() {
        PipelineMetrics metrics = new PipelineMetrics();
        // While the sink holds frame 0, the ring takes frames 0..3 and one waits in staging; each
        // newer pair replaces the staged one, so all the others are dropped, then the newest goes in.
        long dropped = FRAMES - RING - 1;
        RecordingSink stalled = new RecordingSink(() -> Deadline.within(30, TimeUnit.SECONDS)
                .until("every pair behind the stalled sink is dropped", () -> metrics.droppedBackpressure.getCount() == dropped));
        RunSummary s = run(stalled, 1, Backpressure.DROP_OLDEST, metrics);
        assertEquals(dropped, s.droppedBackpressure);
        assertEquals(RING + 1, s.framesOut, "the ring's frames and the newest pair");
        assertEquals(s.framesOut, stalled.indices.size());
        List<Long> visibleFrames = new ArrayList<>();
        for (int k = 0; k < stalled.times.size(); k++) {
            int i = (int) Math.round(stalled.times.get(k) * 30 / 1e6);
            visibleFrames.add((long) i);
            assertEquals(expectedFused(i), stalled.fusedLuma.get(k), 1, "output " + k + " is the fusion of visible frame " + i);
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, (long) FRAMES - 1), visibleFrames, "in order, ending with the newest pair");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), stalled.indices, "output indices stay consecutive");
    }

    @Test
    void severalFusionThreadsStillDeliverEveryFrameInOrder() {
        RecordingSink sink = new RecordingSink(null);
        RunSummary s = run(sink, 3, Backpressure.BLOCK, new PipelineMetrics());
        assertEquals(FRAMES, s.framesOut);
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(i, sink.indices.get(i));
            assertEquals(expectedFused(i), sink.fusedLuma.get(i), 1, "frame " + i);
        }
    }

    @Test
    void metricsCountFramesPerSourceAndStage() {
        PipelineMetrics metrics = new PipelineMetrics();
        RunSummary s = run(new RecordingSink(null), 2, Backpressure.BLOCK, metrics);
        assertEquals(FRAMES, s.framesInVisible);
        assertEquals(FRAMES, s.framesInIr);
        assertEquals(FRAMES, metrics.fuse.getCount());
        assertEquals(FRAMES, metrics.register.getCount());
        assertEquals(FRAMES, metrics.encode.getCount());
        assertEquals(0, metrics.skew.getSnapshot().getMax());
    }
}
