package io.ivfuse.benchmark;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.source.LumaRange;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fusion alone, as the ring's fusion handlers do it: {@code threads} threads, each with its own
 * session of one engine (opened and closed on that thread), fusing concurrently; frame i goes to
 * thread i mod threads. Each frame is fused, then written into the output picture in video range.
 * The pool's size is a multiple of the thread count, so every slot belongs to one thread. With a
 * colour second input ({@code --mode mef}) each thread opens an exposure session of two
 * exposures, which writes the output picture's chroma too.
 */
final class FusionStage {

    /** The stage's figures, and the median time of one fusion on one thread. */
    record Result(StageResult stage, double p50Ms) {
    }

    private final FusionEngine engine;
    private final FrameGeometry geometry;
    private final FrameEvent[] pool;
    private final int threads;
    private final CountDownLatch ready;
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long startNanos; // written before go opens, read after

    FusionStage(FusionEngine engine, FrameGeometry geometry, FrameEvent[] pool, int threads) {
        if (pool.length % threads != 0) {
            throw new IllegalArgumentException("a pool of " + pool.length + " frames does not divide among " + threads + " threads");
        }
        this.engine = engine;
        this.geometry = geometry;
        this.pool = pool;
        this.threads = threads;
        this.ready = new CountDownLatch(threads);
        this.done = new CountDownLatch(threads);
    }

    /**
     * Each thread fuses {@code warmup} frames untimed, then all fuse together on the clock: at least
     * {@code frames} frames and for at least {@code minNanos}.
     */
    Result run(int frames, int warmup, long minNanos) {
        long[][] nanos = new long[threads][];
        long[] fused = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            int worker = w;
            nanos[w] = new long[(frames - w + threads - 1) / threads];
            workers[w] = new Thread(() -> fused[worker] = work(worker, frames, warmup, minNanos, nanos[worker]),
                    "ivfuse-bench-fuse-" + w);
            workers[w].start();
        }
        StageClock clock = new StageClock();
        try {
            ready.await();
            clock.start();
            startNanos = System.nanoTime();
            go.countDown();
            done.await();
            clock.stop();
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IvfuseException("interrupted while timing fusion"));
            go.countDown();
        }
        rethrow(failure.get());
        long[] all = Arrays.stream(nanos).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(clock.result(Arrays.stream(fused).sum()), all[all.length / 2] / 1e6);
    }

    /** One thread's part; returns the frames it fused on the clock, the first {@code nanos.length} of them timed one by one. */
    private long work(int worker, int frames, int warmup, long minNanos, long[] nanos) {
        boolean readied = false;
        boolean finished = false;
        long n = 0;
        boolean mef = geometry.secondChroma();
        try (FusionSession session = mef ? null : engine.openSession(geometry.width(), geometry.height());
             ExposureFusionSession exposures = mef
                     ? engine.openExposureSession(geometry.width(), geometry.height(), 2, true) : null;
             LumaRange range = new LumaRange()) {
            for (int i = 0; i < warmup; i++) {
                fuse(session, exposures, range, pool[(worker + i * threads) % pool.length]);
            }
            readied = true;
            ready.countDown();
            go.await();
            for (long i = worker; (i < frames || System.nanoTime() - startNanos < minNanos) && failure.get() == null; i += threads) {
                long t0 = System.nanoTime();
                fuse(session, exposures, range, pool[(int) (i % pool.length)]);
                if (n < nanos.length) {
                    nanos[(int) n] = System.nanoTime() - t0;
                }
                n++;
            }
            finished = true;
            done.countDown(); // before the session closes: closing is not timed
        } catch (Throwable t) { // an engine's Error too: the main thread reports it
            failure.compareAndSet(null, t);
        } finally {
            if (!readied) {
                ready.countDown();
            }
            if (!finished) {
                done.countDown();
            }
        }
        return n;
    }

    /** What FuseHandler does with a fused pair: one of the sessions is null. */
    private static void fuse(FusionSession session, ExposureFusionSession exposures, LumaRange range, FrameEvent e) {
        if (exposures != null) {
            exposures.fuse(e.exposures, e.fusedPicture);
        } else {
            session.fuse(e.visibleY, e.registered, e.fusedY);
        }
        range.toLimited(e.fusedY, e.outputY);
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("fusion failed: " + t, t);
    }
}
