package io.ivfuse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.Natives;
import io.ivfuse.config.IvfuseConfig.OutputEntry;
import io.ivfuse.config.IvfuseConfig.View;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import io.ivfuse.testing.LocalPorts;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * What a network output costs the ring's output thread: a copy into a preallocated buffer, or a
 * counted drop; no allocation either way (the same bound as SteadyStateAllocationTest's).
 */
class NetworkOutputAllocationTest {
    static final int WARM_UP = 200;
    static final int MEASURED = 300;
    private final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void handingFramesToANetworkOutputAllocatesNothing() {
        Natives.ffmpeg();
        IvfuseConfig c = new IvfuseConfig();
        OutputEntry fused = OutputEntry.of("udp://127.0.0.1:" + LocalPorts.freeUdp());
        OutputEntry sideBySide = OutputEntry.of("udp://127.0.0.1:" + LocalPorts.freeUdp());
        sideBySide.view = View.SIDE_BY_SIDE;
        c.outputs.add(fused);
        c.outputs.add(sideBySide);
        FrameGeometry g = new FrameGeometry(64, 48, 64, 48);
        MetricRegistry registry = new MetricRegistry();
        OutputSet set = new OutputSet(c, registry);
        set.open(g, 30);
        FrameEvent e = new FrameEvent(g);
        try {
            for (FrameSink sink : set.sinks()) {
                String id = ((Output) sink).target().id();
                Meter frames = registry.meter(OutputMetrics.name(id, OutputMetrics.FRAMES));
                long sent = frames.getCount();
                // Paced: each frame finds a free buffer (the copy path)...
                double queued = perWrite(sink, e, g, i -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (frames.getCount() < sent + i + 1 && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(100_000); // polling until it is sent, bounded
                    }
                });
                assertEquals(WARM_UP + MEASURED, frames.getCount() - sent, "every paced frame was sent");
                // ...and in a burst most find none (the drop path).
                long dropped = registry.counter(OutputMetrics.name(id, OutputMetrics.DROPPED)).getCount();
                double burst = perWrite(sink, e, g, i -> { });
                assertTrue(registry.counter(OutputMetrics.name(id, OutputMetrics.DROPPED)).getCount() > dropped, "a burst drops");
                assertTrue(queued < 8, id + ": " + queued + " bytes allocated per queued frame");
                assertTrue(burst < 8, id + ": " + burst + " bytes allocated per frame in a burst");
            }
        } finally {
            set.sinks().forEach(FrameSink::close);
        }
        assertEquals(2, set.sinks().size());
    }

    /** Average bytes the calling thread allocates inside {@code write}, after a warm-up. */
    private double perWrite(FrameSink sink, FrameEvent e, FrameGeometry g, IntConsumer between) {
        long allocated = 0;
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            e.index = i;
            e.visibleUs = i * 33_333L;
            long before = mx.getCurrentThreadAllocatedBytes();
            sink.write(e, g);
            long after = mx.getCurrentThreadAllocatedBytes();
            if (i >= WARM_UP) {
                allocated += after - before;
            }
            between.accept(i);
        }
        return allocated / (double) MEASURED;
    }
}
