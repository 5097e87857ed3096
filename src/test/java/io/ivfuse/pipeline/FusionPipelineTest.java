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
import io.ivfuse.testing.FileInputs;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
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

    /** Records what reaches the output, optionally slowly. */
    static final class RecordingSink implements FrameSink {
        final List<Long> indices = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        final List<Integer> fusedLuma = new ArrayList<>();
        final long delayNanos;
        boolean closed;

        RecordingSink(long delayNanos) {
            this.delayNanos = delayNanos;
        }

        @Override
        public void write(FrameEvent frame, FrameGeometry geometry) {
            indices.add(frame.index);
            times.add(frame.visibleUs);
            fusedLuma.add(frame.fusedY.get(W / 2, H / 2));
            if (delayNanos > 0) {
                LockSupport.parkNanos(delayNanos);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static RunSummary run(RecordingSink sink, int threads, Backpressure mode, PipelineMetrics metrics) {
        try (FileInputs in = new FileInputs(visibleFile, infraredFile, metrics);
             FusionEngine engine = FusionEngines.create("average", EngineOptions.defaults())) {
            FusionPipeline p = new FusionPipeline(in.visible.queue(), in.infrared.queue(), in.pairer(),
                    (src, dst) -> dst.copyFrom(src), engine, List.of(sink), in.geometry(),
                    new PipelineSettings(4, threads, mode, 0), metrics, null);
            return p.run();
        }
    }

    static int expectedFused(int i) {
        return (LumaRange.toFull(visibleLuma(i)) + LumaRange.toFull(infraredLuma(i)) + 1) / 2;
    }

    @Test
    void blockModeNeverDropsUnderASlowStage() {
        RecordingSink slow = new RecordingSink(3_000_000);
        PipelineMetrics metrics = new PipelineMetrics();
        RunSummary s = run(slow, 1, Backpressure.BLOCK, metrics);
        assertEquals(FRAMES, s.framesOut);
        assertEquals(0, s.droppedBackpressure);
        assertEquals(FRAMES, slow.indices.size());
        assertTrue(slow.closed, "sinks are closed at the end");
        for (int i = 0; i < FRAMES; i++) {
            assertEquals(i, slow.indices.get(i));
            assertEquals(expectedFused(i), slow.fusedLuma.get(i), 1, "frame " + i);
        }
    }

    @Test
    void dropOldestDropsAndCountsUnderASlowStage() {
        RecordingSink slow = new RecordingSink(10_000_000);
        PipelineMetrics metrics = new PipelineMetrics();
        RunSummary s = run(slow, 1, Backpressure.DROP_OLDEST, metrics);
        assertTrue(s.droppedBackpressure > 0, "a 10 ms/frame sink behind a 4-slot ring must drop");
        assertEquals(FRAMES, s.framesOut + s.droppedBackpressure, "every pair is either written or counted as dropped");
        assertEquals(s.framesOut, slow.indices.size());
        // What is written is still in order, consistent (each output is the fusion of one true pair)
        // and includes the newest pair.
        for (int k = 1; k < slow.times.size(); k++) {
            assertTrue(slow.times.get(k) > slow.times.get(k - 1));
        }
        for (int k = 0; k < slow.times.size(); k++) {
            int i = (int) Math.round(slow.times.get(k) * 30 / 1e6);
            assertEquals(expectedFused(i), slow.fusedLuma.get(k), 1, "output " + k + " is visible frame " + i);
        }
        assertEquals(FRAMES - 1, Math.round(slow.times.get(slow.times.size() - 1) * 30 / 1e6));
    }

    @Test
    void severalFusionThreadsStillDeliverEveryFrameInOrder() {
        RecordingSink sink = new RecordingSink(0);
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
        RunSummary s = run(new RecordingSink(0), 2, Backpressure.BLOCK, metrics);
        assertEquals(FRAMES, s.framesInVisible);
        assertEquals(FRAMES, s.framesInIr);
        assertEquals(FRAMES, metrics.fuse.getCount());
        assertEquals(FRAMES, metrics.register.getCount());
        assertEquals(FRAMES, metrics.encode.getCount());
        assertEquals(0, metrics.skew.getSnapshot().getMax());
    }
}
