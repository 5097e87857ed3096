package io.ivfuse.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.source.VisibleSource;
import io.ivfuse.sync.FramePairer;
import io.ivfuse.sync.PairDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fusion pipeline: decode and pair on the calling thread, then a Disruptor ring whose
 * preallocated {@link FrameEvent}s flow through registration, fusion (one or more threads) and the
 * sinks, in that order.
 *
 * <pre>
 *  visible decoder ─┐
 *                   ├─ pair ─▶ [ring] ─▶ register ─▶ fuse 0..n-1 ─▶ sinks (in order)
 *  IR decoder ──────┘      (block | drop-oldest)
 * </pre>
 *
 * <p>{@link #requestStop()} (Ctrl-C) ends decoding; the frames already in the ring are finished
 * and the sinks closed, so the output stays playable.
 */
public final class FusionPipeline {
    /** Prefix of the names of the ring's threads. */
    public static final String THREAD_PREFIX = "ivfuse-";
    private static final long WAIT_PARK_NANOS = 500_000;
    private final VisibleSource visible;
    private final FramePairer pairer;
    private final FrameWarp warp;
    private final FusionEngine engine;
    private final List<FrameSink> sinks;
    private final FrameGeometry geometry;
    private final PipelineSettings settings;
    private final PipelineMetrics metrics;
    private final FrameListener listener;
    private final FailureLatch failure = new FailureLatch();
    private volatile boolean stopRequested;

    public FusionPipeline(VisibleSource visible, FramePairer pairer, FrameWarp warp, FusionEngine engine,
                          List<FrameSink> sinks, FrameGeometry geometry, PipelineSettings settings,
                          PipelineMetrics metrics, FrameListener listener) {
        this.visible = visible;
        this.pairer = pairer;
        this.warp = warp;
        this.engine = engine;
        this.sinks = List.copyOf(sinks);
        this.geometry = geometry;
        this.settings = settings;
        this.metrics = metrics;
        this.listener = listener;
    }

    /** Asks a running pipeline to stop decoding and finish what it has (thread-safe). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs to the end of the input (or the frame limit, or a stop request). Closes the sinks and the
     * fusion sessions; the caller closes sources and engine.
     */
    public RunSummary run() {
        List<FusionSession> sessions = new ArrayList<>();
        Disruptor<FrameEvent> disruptor = null;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < settings.fusionThreads(); i++) {
                sessions.add(engine.openSession(geometry.width(), geometry.height()));
            }
            // Sleeping rather than blocking wait: Disruptor's blocking strategy busy-spins handlers
            // that wait on another handler, which starves the decoder and encoder on 2 cores.
            // Parks of 0.5 ms beat 0.1 ms (fewer wake-ups) and 1 ms (stalls): benchmarks/README.md.
            disruptor = new Disruptor<>(() -> new FrameEvent(geometry), settings.ringSize(),
                    new StageThreads(), ProducerType.SINGLE, new SleepingWaitStrategy(2, WAIT_PARK_NANOS));
            disruptor.setDefaultExceptionHandler(new LatchingExceptionHandler(failure));
            RegisterHandler register = new RegisterHandler(warp, metrics.register, failure);
            FuseHandler[] fusers = new FuseHandler[sessions.size()];
            for (int i = 0; i < fusers.length; i++) {
                fusers[i] = new FuseHandler(sessions.get(i), i, fusers.length, metrics.fuse, failure);
            }
            OutputHandler output = new OutputHandler(sinks, geometry, metrics, failure, listener);
            EventHandlerGroup<FrameEvent> fused = disruptor.handleEventsWith(register).then(fusers);
            fused.then(output);
            RingBuffer<FrameEvent> ring = disruptor.start();
            metrics.registerRingOccupancy(() -> ring.getBufferSize() - ring.remainingCapacity());

            long last = produce(ring);
            awaitDrained(disruptor, output, last);
        } finally {
            if (disruptor != null) {
                disruptor.halt();
            }
            RuntimeException closeFailure = closeAll(sinks, sessions);
            if (failure.failed()) {
                throw asIvfuse(failure.failure());
            }
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
        RunSummary summary = RunSummary.from(metrics, (System.nanoTime() - start) / 1e9);
        summary.paired = pairer.pairedCount();
        summary.interrupted = stopRequested;
        if (summary.framesOut == 0 && !stopRequested) {
            throw noOverlap();
        }
        return summary;
    }

    /** Decodes, pairs and publishes until the input ends; returns the last published sequence. */
    private long produce(RingBuffer<FrameEvent> ring) {
        boolean dropOldest = settings.backpressure() == Backpressure.DROP_OLDEST;
        FrameEvent staging = dropOldest ? new FrameEvent(geometry) : null;
        boolean stagingFull = false;
        long published = -1;
        long index = 0;
        while (!stopRequested && !failure.failed() && (settings.maxFrames() == 0 || index < settings.maxFrames())) {
            long t0 = System.nanoTime();
            if (!visible.grab()) {
                break;
            }
            long t1 = System.nanoTime();
            metrics.visibleFrames.mark();
            metrics.decode.update(t1 - t0, TimeUnit.NANOSECONDS);
            PairDecision decision = pairer.pair(visible.timestampUs());
            metrics.pair.update(System.nanoTime() - t1, TimeUnit.NANOSECONDS);
            if (decision == PairDecision.END) {
                break;
            }
            if (decision == PairDecision.DROPPED) {
                metrics.droppedUnpaired.inc();
                continue;
            }
            if (decision == PairDecision.HELD) {
                metrics.held.inc();
            }
            metrics.skew.update(Math.abs(pairer.lastSkewUs()));
            if (!dropOldest) {
                long seq = ring.next();
                fill(ring.get(seq), index++);
                ring.publish(seq);
                published = seq;
                continue;
            }
            // drop-oldest: never wait. A pair that finds the ring full waits in 'staging'; a newer
            // pair replaces it (the older one is dropped), so the ring always gets the freshest.
            if (stagingFull) {
                long seq = tryClaim(ring);
                if (seq >= 0) {
                    moveStaged(ring, seq, staging, index++);
                    published = seq;
                } else {
                    metrics.droppedBackpressure.inc();
                }
            }
            fill(staging, -1);
            stagingFull = true;
            long seq = tryClaim(ring);
            if (seq >= 0) {
                moveStaged(ring, seq, staging, index++);
                published = seq;
                stagingFull = false;
            }
        }
        if (stagingFull && !failure.failed()) {
            long seq = ring.next();
            moveStaged(ring, seq, staging, index);
            published = seq;
        }
        return published;
    }

    private static long tryClaim(RingBuffer<FrameEvent> ring) {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return -1;
        }
    }

    private void moveStaged(RingBuffer<FrameEvent> ring, long seq, FrameEvent staging, long index) {
        FrameEvent slot = ring.get(seq);
        slot.copyInputsFrom(staging, geometry.chromaOffset());
        slot.index = index;
        slot.enqueuedNanos = System.nanoTime();
        ring.publish(seq);
    }

    private void fill(FrameEvent e, long index) {
        visible.copyTo(e.visibleY, e.output, geometry.chromaOffset());
        e.infrared.copyFrom(pairer.irFrame().plane());
        e.visibleUs = visible.timestampUs();
        e.infraredUs = pairer.irFrame().timestampUs();
        e.infraredHeld = pairer.lastDecision() == PairDecision.HELD;
        e.index = index;
        e.enqueuedNanos = System.nanoTime();
    }

    /** Waits (parking, not spinning) until the output stage has passed {@code last}. */
    private void awaitDrained(Disruptor<FrameEvent> disruptor, OutputHandler output, long last) {
        while (disruptor.getSequenceValueFor(output) < last) {
            LockSupport.parkNanos(200_000);
        }
    }

    private static RuntimeException closeAll(List<FrameSink> sinks, List<FusionSession> sessions) {
        RuntimeException first = null;
        for (AutoCloseable c : concat(sinks, sessions)) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = asIvfuse(e);
                }
            }
        }
        return first;
    }

    private static List<AutoCloseable> concat(List<? extends AutoCloseable> a, List<? extends AutoCloseable> b) {
        List<AutoCloseable> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static RuntimeException asIvfuse(Throwable t) {
        if (t instanceof IvfuseException ie) {
            return ie;
        }
        return new IvfuseException("pipeline failed: " + t, t);
    }

    private IvfuseException noOverlap() {
        if (pairer.irFirstUs() == Long.MIN_VALUE) {
            return new IvfuseException("no frame could be paired: the IR stream has no frames");
        }
        return new IvfuseException(String.format(
                "no frame could be paired: IR timestamps (%.3f..%.3f s, offset applied) never come within tolerance of the visible ones",
                pairer.irFirstUs() / 1e6, pairer.irLastUs() / 1e6));
    }

    /** Names the ring's threads after their stage (in start order: register, fuse..., output) for thread dumps and profilers. */
    private final class StageThreads implements ThreadFactory {
        private int started;

        @Override
        public Thread newThread(Runnable r) {
            int n = started++;
            String name = n == 0 ? "register" : n <= settings.fusionThreads() ? "fuse-" + (n - 1) : "output";
            Thread t = new Thread(r, THREAD_PREFIX + name);
            t.setDaemon(true);
            return t;
        }
    }

    /** Any stage's exception stops the run with that error; the ring keeps moving meanwhile. */
    private static final class LatchingExceptionHandler implements ExceptionHandler<FrameEvent> {
        private final FailureLatch failure;

        LatchingExceptionHandler(FailureLatch failure) {
            this.failure = failure;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, FrameEvent event) {
            failure.fail(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            failure.fail(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            failure.fail(ex);
        }
    }
}
