package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Timer;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.job.FusionJob;
import io.ivfuse.job.Natives;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work pairs share: one loaded engine per model, and the fusion budget's fair shares. */
class SharedWorkTest {

    @Test
    void pairsWithTheSameEngineAndOptionsShareOneEngineUntilTheLastLetsGo() {
        Natives.opencv();
        SharedEngines engines = new SharedEngines(new FusionBudget(2));
        FusionJob.EngineSource a = engines.forPair(new Timer(), FusionMode.IR_VIS);
        FusionJob.EngineSource b = engines.forPair(new Timer(), FusionMode.IR_VIS);
        FusionEngineProvider average = FusionEngines.provider("average", EngineOptions.defaults());
        FusionEngineProvider laplacian = FusionEngines.provider("laplacian", EngineOptions.defaults());
        FusionEngine a1 = a.open(average, EngineOptions.defaults());
        FusionEngine b1 = b.open(average, new EngineOptions(null, 0, Map.of()));
        assertNotSame(a1, b1, "a lease each");
        assertEquals(1, engines.loaded(), "one average engine for both pairs");
        FusionEngine c1 = b.open(laplacian, new EngineOptions(null, 0, Map.of("levels", "3")));
        FusionEngine d1 = a.open(laplacian, EngineOptions.defaults());
        assertEquals(3, engines.loaded(), "other options or another engine: engines of their own");
        try (FusionSession s = a1.openSession(64, 48)) {
            Plane vis = Plane.allocate(64, 48);
            Plane ir = Plane.allocate(64, 48);
            Plane fused = Plane.allocate(64, 48);
            vis.fill((byte) 100);
            ir.fill((byte) 200);
            s.fuse(vis, ir, fused);
            assertEquals(150, fused.get(10, 10), "a session of the shared engine fuses");
        }
        a1.close();
        a1.close(); // a lease lets go once
        assertEquals(3, engines.loaded());
        b1.close();
        assertEquals(2, engines.loaded(), "the last pair let go: closed");
        c1.close();
        d1.close();
        assertEquals(0, engines.loaded());
        assertEquals(3, engines.loads());
        assertThrows(IllegalStateException.class, () -> a1.openSession(64, 48), "a released engine is closed");
    }

    /** Serve takes mef pairs: a lease in mode mef opens exposure sessions of its engine, which fuse under the budget. */
    @Test
    void anMefPairLeasesAnExposureEngineWhoseSessionsFuseUnderTheBudget() {
        Natives.opencv();
        FusionBudget budget = new FusionBudget(1);
        SharedEngines engines = new SharedEngines(budget);
        Timer waits = new Timer();
        FusionEngineProvider lut = FusionEngines.provider("mef-lut", FusionMode.MEF, EngineOptions.defaults());
        FusionEngine lease = engines.forPair(waits, FusionMode.MEF).open(lut, EngineOptions.defaults());
        try (ExposureFusionSession s = lease.openExposureSession(64, 48, 2, true)) {
            YuvPlanes dark = YuvPlanes.allocate(64, 48, true);
            YuvPlanes bright = YuvPlanes.allocate(64, 48, true);
            YuvPlanes fused = YuvPlanes.allocate(64, 48, true);
            dark.y().fill((byte) 30);
            bright.y().fill((byte) 220);
            s.fuse(new YuvPlanes[] {dark, bright}, fused);
            int y = fused.y().get(10, 10);
            assertTrue(y > 30 && y < 220, "fused between the exposures: " + y);
        }
        assertEquals(1, waits.getCount(), "the frame took a permit of the budget");
        assertEquals(0, budget.inUse());
        assertEquals(1, engines.loaded());
        lease.close();
        assertEquals(0, engines.loaded());
    }

    @Test
    void anMefPairIsRunnableAndAnInfraredEngineInItIsNot(@TempDir Path dir) throws Exception {
        IvfuseConfig c = new IvfuseConfig();
        c.fusion.mode = "mef";
        c.fusion.engine = "mef-lut";
        c.output.path = dir.resolve("out.mkv").toString();
        c.input.under = InputSpec.of(Files.writeString(dir.resolve("under.mkv"), "x").toString());
        c.input.over = InputSpec.of(Files.writeString(dir.resolve("over.mkv"), "x").toString());
        Pair.runnable(c);
        c.fusion.engine = "max";
        IvfuseException e = assertThrows(IvfuseException.class, () -> Pair.runnable(c));
        assertTrue(e.getMessage().contains("engine 'max' does not support mode mef"), e.getMessage());
    }

    /**
     * Three pairs' fusion threads, each fusing frames of 1 ms of CPU as fast as it can, under a
     * budget of one: the fair semaphore hands the permit round, so each pair gets a third. (An
     * unfair one lets the thread that just released take it again.)
     */
    @Test
    void aSaturatedBudgetIsSharedEquallyBetweenPairs() throws Exception {
        FusionBudget budget = new FusionBudget(1);
        int pairs = 3;
        long[] fused = new long[pairs];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(pairs);
        Thread[] threads = new Thread[pairs];
        Timer[] waits = new Timer[pairs];
        for (int i = 0; i < pairs; i++) {
            int pair = i;
            waits[i] = new Timer();
            FusionSession session = budget.budgeted(new Spin(1_000_000), waits[i]);
            threads[i] = new Thread(() -> {
                started.countDown();
                while (!stop.get()) {
                    session.fuse(null, null, null);
                    fused[pair]++;
                }
            }, "budget-test-" + i);
            threads[i].start();
        }
        started.await();
        Thread.sleep(1500); // the measurement window itself; the threads stop on the flag, joined below
        stop.set(true);
        for (Thread t : threads) {
            t.join(5000);
        }
        long min = Arrays.stream(fused).min().orElseThrow();
        long max = Arrays.stream(fused).max().orElseThrow();
        assertTrue(min > 100, "frames fused: " + Arrays.toString(fused));
        assertTrue(min >= 0.85 * max, "equal shares: " + Arrays.toString(fused));
        for (Timer w : waits) {
            assertTrue(w.getSnapshot().getMedian() > 0.5e6, "each pair waited about a frame of the others: "
                    + w.getSnapshot().getMedian() / 1e6 + " ms");
        }
        assertEquals(0, budget.inUse());
    }

    /** A session whose frame costs {@code nanos} of CPU. */
    private record Spin(long nanos) implements FusionSession {
        @Override
        public void fuse(Plane visibleY, Plane infrared, Plane fused) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
        }
    }
}
