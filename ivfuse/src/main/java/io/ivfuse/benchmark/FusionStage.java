package io.ivfuse.benchmark;

import com.lmax.disruptor.EventHandler;
import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.video.MefVideoOptions;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.StageHandlers;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fusion alone, as the ring's fusion threads do it and with their own handler
 * ({@link StageHandlers#fusion}): {@code threads} threads, each with its own session of one engine
 * (opened and closed on that thread), fusing concurrently; frame i goes to thread i mod threads.
 * Each frame is fused, then, unless a smoothing stage follows (which does it in the run), written
 * into the output picture in video range. The pool's size is a multiple of the thread count, so
 * every slot belongs to one thread. With a colour second input ({@code --mode mef}) each thread
 * fuses with an exposure session, which writes the output picture's chroma too, after ghost
 * suppression when the run has it.
 */
final class FusionStage {

    /** The stage's figures, and the median time of one fusion on one thread. */
    record Result(StageResult stage, double p50Ms) {
    }

    private final FusionEngine engine;
    private final FrameGeometry geometry;
    private final MefVideoOptions video;
    private final FrameEvent[] pool;
    private final int threads;
    private final CountDownLatch ready;
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long startNanos; // written before go opens, read after

    /** @param video exposure video's ghost suppression and smoothing, as the run has them */
    FusionStage(FusionEngine engine, FrameGeometry geometry, MefVideoOptions video, FrameEvent[] pool, int threads) {
        if (pool.length % threads != 0) {
            throw new IllegalArgumentException("a pool of " + pool.length + " frames does not divide among " + threads + " threads");
        }
        this.engine = engine;
        this.geometry = geometry;
        this.video = video;
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
        EventHandler<FrameEvent> handler = StageHandlers.fusion(engine, geometry, worker, threads, video);
        try {
            try {
                handler.onStart();
                for (int i = 0; i < warmup; i++) {
                    long sequence = worker + (long) i * threads;
                    handler.onEvent(pool[(int) (sequence % pool.length)], sequence, true);
                }
                readied = true;
                ready.countDown();
                go.await();
                for (long i = worker; (i < frames || System.nanoTime() - startNanos < minNanos) && failure.get() == null;
                     i += threads) {
                    long t0 = System.nanoTime();
                    handler.onEvent(pool[(int) (i % pool.length)], i, true);
                    if (n < nanos.length) {
                        nanos[(int) n] = System.nanoTime() - t0;
                    }
                    n++;
                }
                finished = true;
                done.countDown(); // before the session closes: closing is not timed
            } finally {
                handler.onShutdown();
            }
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
