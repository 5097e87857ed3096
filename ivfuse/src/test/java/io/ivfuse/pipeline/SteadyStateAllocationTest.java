package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.FileInputs;
import io.ivfuse.testing.TestVideos;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input threads and the ring's stages allocate nothing per frame once running (the
 * sliding-window metrics included); {@link FramePathMemoryTest} covers decoding and encoding alone.
 */
class SteadyStateAllocationTest {
    static final int FIRST = 100;
    static final int LAST = 400;

    /** Snapshots every thread's allocated bytes when frames FIRST and LAST leave the ring. */
    static final class AllocationProbe implements FrameSink {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final Map<String, Long> atFirst = new HashMap<>();
        final Map<String, Long> atLast = new HashMap<>();

        @Override
        public void write(FrameEvent frame, FrameGeometry geometry) {
            if (frame.index == FIRST || frame.index == LAST) {
                // This (the output) thread's own count is read after the first snapshot and before
                // the last, so that neither snapshot, whose cost grows with the threads the JVM has
                // (other tests' leftovers included), counts as the pipeline's.
                Map<String, Long> into = frame.index == FIRST ? atFirst : atLast;
                String self = Thread.currentThread().getName();
                if (frame.index == LAST) {
                    into.put(self, mx.getCurrentThreadAllocatedBytes());
                }
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    into.putIfAbsent(t.getName(), mx.getThreadAllocatedBytes(t.getId()));
                }
                if (frame.index == FIRST) {
                    into.put(self, mx.getCurrentThreadAllocatedBytes());
                }
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void ringThreadsAllocateNothingPerFrame(@TempDir Path dir) {
        Path vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 500, "ffv1", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 500, "ffv1", (i, x, y) -> 255 - TestVideos.gradient(i, x, y));
        AllocationProbe probe = new AllocationProbe();
        PipelineMetrics metrics = new PipelineMetrics();
        try (FileInputs in = new FileInputs(vis, ir, metrics);
             FusionEngine engine = FusionEngines.create("laplacian", EngineOptions.defaults())) {
            FusionPipeline p = new FusionPipeline(in.visible.queue(), in.infrared.queue(), in.pairer(),
                    (src, dst) -> dst.copyFrom(src), engine, List.of(probe), new FrameGeometry(64, 48, 64, 48),
                    new PipelineSettings(8, 2, IvfuseConfig.Backpressure.BLOCK, 0), metrics, null);
            assertEquals(500, p.run().framesOut);
        }
        int frames = LAST - FIRST;
        int ringThreads = 0;
        for (String name : probe.atLast.keySet()) {
            if (name.startsWith("ivfuse-input-") && probe.atFirst.containsKey(name)) {
                // Decoding, copying, queueing and timing: nothing per frame (JavaCV's grabImage(),
                // used before StreamDecoder, made about 0.6 KB).
                double perFrame = (probe.atLast.get(name) - probe.atFirst.get(name)) / (double) frames;
                assertTrue(perFrame < 64, name + " allocated " + perFrame + " bytes per frame");
                continue;
            }
            if (name.startsWith(FusionPipeline.THREAD_PREFIX) && probe.atFirst.containsKey(name)) {
                ringThreads++;
                double perFrame = (probe.atLast.get(name) - probe.atFirst.get(name)) / (double) frames;
                assertTrue(perFrame < 64, name + " allocated " + perFrame + " bytes per frame");
            }
        }
        assertEquals(4, ringThreads, "register, 2 fusion threads, output: " + probe.atLast.keySet());
    }
}
