package io.ivfuse.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input queue's two disciplines (lossless for files, drop-oldest for cameras) and a recording played as a camera. */
class InputReaderTest {

    static InputFrame publish(FrameQueue q, boolean dropOldest, long t) {
        InputFrame f = q.acquire(dropOldest);
        f.setTimestampUs(t);
        q.publish(f);
        return f;
    }

    @Test
    void aLiveQueueDropsTheOldestWaitingFramesAndCountsThem() {
        FrameQueue q = new FrameQueue(3, 3, () -> InputFrame.gray(1, 1));
        for (long t = 0; t < 10; t++) {
            publish(q, true, t); // never blocks, however far the consumer is behind
        }
        assertEquals(7, q.dropped());
        for (long t = 7; t < 10; t++) {
            InputFrame f = q.next(System.nanoTime());
            assertEquals(t, f.timestampUs(), "the freshest three frames wait, in order");
            q.release(f);
        }
        assertNull(q.next(System.nanoTime() + 1_000_000), "nothing else waits");
    }

    @Test
    void aFileQueueNeverDropsAndItsEndIsSeenAfterTheLastFrame() {
        FrameQueue q = new FrameQueue(2, 0, () -> InputFrame.gray(1, 1));
        publish(q, false, 1);
        publish(q, false, 2);
        q.end(null);
        assertEquals(1, q.next(Long.MAX_VALUE).timestampUs());
        assertEquals(2, q.next(Long.MAX_VALUE).timestampUs());
        assertNull(q.next(Long.MAX_VALUE));
        assertTrue(q.isEnded());
        assertNull(q.failure(), "a real end of input");
        assertEquals(0, q.dropped());
    }

    @Test
    void aRecordingMarkedLiveIsReadAtItsOwnFrameRate(@TempDir Path dir) {
        Path file = TestVideos.write(dir.resolve("cam.mkv"), 32, 16, 30, 30, "ffv1", TestVideos::gradient);
        InputSpec spec = InputSpec.of(file.toString());
        spec.live = true;
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        InputPlan plan = InputKinds.plan("IR", spec, live);
        assertTrue(plan.paced());
        try (InputReader reader = new InputReader(plan, new InfraredDecoding(new IvfuseConfig.Gray16()), live,
                new PipelineMetrics().ir, true)) {
            reader.start();
            long t0 = System.nanoTime();
            long firstReceived = 0;
            for (int i = 0; i < 30; i++) {
                InputFrame f = reader.queue().next(System.nanoTime() + 5_000_000_000L);
                assertNotNull(f, "frame " + i);
                if (i == 0) {
                    firstReceived = f.receivedNanos();
                }
                if (i == 29) {
                    double span = (f.receivedNanos() - firstReceived) / 1e9;
                    assertEquals(29 / 30.0, span, 0.1, "29 frame intervals at 30 fps");
                }
                reader.queue().release(f);
            }
            assertTrue((System.nanoTime() - t0) / 1e9 > 0.85, "paced, not as fast as possible");
        }
    }
}
