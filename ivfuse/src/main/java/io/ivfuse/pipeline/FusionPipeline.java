package io.ivfuse.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig.Backpressure;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.config.IvfuseConfig.Skipped;
import io.ivfuse.config.IvfuseConfig.VisibleDown;
import io.ivfuse.source.FrameQueue;
import io.ivfuse.source.InputFrame;
import io.ivfuse.source.InputLostException;
import io.ivfuse.sync.BracketPairer;
import io.ivfuse.sync.FramePairer;
import io.ivfuse.sync.PairDecision;
import io.ivfuse.util.ThreadNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fusion pipeline: pairing on the calling thread, over the input queues that each input's
 * reader fills on threads of its own, then a Disruptor ring whose preallocated
 * {@link FrameEvent}s flow through registration, fusion (one or more threads) and the sinks, in
 * that order.
 *
 * <pre>
 *  visible reader ─▶ [queue] ─┐
 *                             ├─ pair ─▶ [ring] ─▶ register ─▶ fuse 0..n-1 ─▶ sinks (in order)
 *  IR reader ──────▶ [queue] ─┘      (block | drop-oldest)
 * </pre>
 *
 * <p>Live runs never wait for a missing camera: without IR the visible frames pass through
 * unfused; without visible the output pauses (or shows IR alone). {@link #requestStop()}
 * (Ctrl-C) ends pairing; the frames already in the ring are finished, every stage thread is
 * joined, and only then are the sinks closed, so the output stays playable.
 */
public final class FusionPipeline {
    /** Prefix of the names of the ring's threads. */
    public static final String THREAD_PREFIX = "ivfuse-";
    /** Live: how long the pairing thread waits for a visible frame before looking at the cameras' state. */
    private static final long VISIBLE_POLL_NANOS = 50_000_000L;
    /** Live: extra wait for the IR frame of a visible frame, beyond the pairing tolerance (jitter). */
    private static final long IR_SLACK_NANOS = 5_000_000L;
    private static final Logger log = LoggerFactory.getLogger(FusionPipeline.class);
    private final FrameQueue visible;
    private final FrameQueue infrared;
    private final FramePairer pairer;
    /** Instead of {@link #infrared} and {@link #pairer}: sliding pairs of one bracketed stream. */
    private final BracketPairer bracket;
    private final FrameWarp warp;
    private final FrameWarp chromaWarp;
    private final FusionEngine engine;
    private final List<FrameSink> sinks;
    private final FrameGeometry geometry;
    private final PipelineSettings settings;
    private final PipelineMetrics metrics;
    private final FrameListener listener;
    private final FailureLatch failure = new FailureLatch();
    private final CameraStates states = new CameraStates();
    private final List<Thread> stageThreads = new ArrayList<>();
    private final FreeSlots freeSlots = new FreeSlots();
    private final StageThreads stageThreadFactory = new StageThreads();
    private volatile boolean stopRequested;
    private long lastFusedUs = Long.MIN_VALUE;
    private boolean visibleSeen;
    /** A frame at or after {@code settings.fromUs()} has been seen: the pre-roll is over. */
    private boolean windowEntered;

    /**
     * @param visible     visible frames, from its reader
     * @param infrared    IR frames, from its reader; {@code pairer} reads the same queue
     */
    public FusionPipeline(FrameQueue visible, FrameQueue infrared, FramePairer pairer, FrameWarp warp,
                          FusionEngine engine, List<FrameSink> sinks, FrameGeometry geometry, PipelineSettings settings,
                          PipelineMetrics metrics, FrameListener listener) {
        this(visible, infrared, pairer, warp, null, engine, sinks, geometry, settings, metrics, listener);
    }

    /**
     * @param chromaWarp the second input's registration at the chroma planes' size, for a colour
     *                   second input ({@link FrameGeometry#secondChroma()}); null otherwise
     */
    public FusionPipeline(FrameQueue visible, FrameQueue infrared, FramePairer pairer, FrameWarp warp, FrameWarp chromaWarp,
                          FusionEngine engine, List<FrameSink> sinks, FrameGeometry geometry, PipelineSettings settings,
                          PipelineMetrics metrics, FrameListener listener) {
        this(visible, infrared, pairer, null, warp, chromaWarp, engine, sinks, geometry, settings, metrics, listener);
    }

    /**
     * A pipeline over one alternating-exposure stream ({@code --bracketed}, a colour geometry of
     * the stream's size twice): each frame is fused with the latest of the other exposure.
     */
    public static FusionPipeline bracketed(FrameQueue stream, BracketPairer bracket, FrameWarp warp, FrameWarp chromaWarp,
                                           FusionEngine engine, List<FrameSink> sinks, FrameGeometry geometry,
                                           PipelineSettings settings, PipelineMetrics metrics, FrameListener listener) {
        return new FusionPipeline(stream, null, null, bracket, warp, chromaWarp, engine, sinks, geometry, settings,
                metrics, listener);
    }

    private FusionPipeline(FrameQueue visible, FrameQueue infrared, FramePairer pairer, BracketPairer bracket,
                           FrameWarp warp, FrameWarp chromaWarp, FusionEngine engine, List<FrameSink> sinks,
                           FrameGeometry geometry, PipelineSettings settings, PipelineMetrics metrics, FrameListener listener) {
        if (geometry.secondChroma() && chromaWarp == null) {
            throw new IllegalArgumentException("a colour second input needs a chroma warp");
        }
        this.visible = visible;
        this.infrared = infrared;
        this.pairer = pairer;
        this.bracket = bracket;
        this.warp = warp;
        this.chromaWarp = chromaWarp;
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
     * Runs to the end of the input (or the frame limit, or a stop request). Closes the sinks; the
     * fusion sessions are opened and closed by their own threads; the caller closes inputs and engine.
     * A live input lost for good ends the run normally, with {@link RunSummary#inputLost} set.
     */
    public RunSummary run() {
        Disruptor<FrameEvent> disruptor = null;
        long start = System.nanoTime();
        double openSeconds = 0;
        RuntimeException inputFailure = null;
        try {
            // Parked until woken by the stage before: neither spinning nor polling (WakingWaitStrategy).
            WakingWaitStrategy waits = new WakingWaitStrategy(settings.fusionThreads() + 3);
            disruptor = new Disruptor<>(() -> new FrameEvent(geometry), settings.ringSize(),
                    stageThreadFactory, ProducerType.SINGLE, waits);
            disruptor.setDefaultExceptionHandler(new LatchingExceptionHandler(failure));
            RegisterHandler register = new RegisterHandler(warp, chromaWarp, metrics.register, failure);
            MefVideo video = geometry.secondChroma() ? new MefVideo(settings.mefVideo(), bracket != null) : null;
            boolean smoothing = StageHandlers.smooths(geometry, settings.mefVideo());
            stageThreadFactory.smoothing = smoothing;
            // The stages that open something on their own thread (engine sessions, filters) count down
            // when they have: the run's clock starts then, not while a network loads and warms up.
            CountDownLatch opened = new CountDownLatch(settings.fusionThreads() + (smoothing ? 1 : 0));
            FuseHandler[] fusers = new FuseHandler[settings.fusionThreads()];
            for (int i = 0; i < fusers.length; i++) {
                fusers[i] = new FuseHandler(engine, geometry, i, fusers.length, metrics.fuse, failure, video, !smoothing,
                        opened);
            }
            OutputHandler output = new OutputHandler(sinks, geometry, metrics, failure, listener,
                    settings.maxFps() > 0 && settings.skipped() == Skipped.HOLD, freeSlots);
            @SuppressWarnings("unchecked")
            EventHandler<FrameEvent>[] fusing = new EventHandler[fusers.length];
            for (int i = 0; i < fusers.length; i++) {
                fusing[i] = waits.signalling(fusers[i]);
            }
            EventHandlerGroup<FrameEvent> fused = disruptor.handleEventsWith(waits.signalling(register)).then(fusing);
            if (smoothing) { // frames in order
                fused = fused.then(waits.signalling(new WeightSmoothingHandler(video, geometry, failure, opened)));
            }
            EventHandler<FrameEvent> last = waits.signalling(output);
            fused.then(last);
            RingBuffer<FrameEvent> ring = disruptor.start();
            metrics.registerRingOccupancy(() -> ring.getBufferSize() - ring.remainingCapacity());
            awaitOpened(opened);
            long ready = System.nanoTime();
            openSeconds = (ready - start) / 1e9;
            start = ready;

            long lastPublished = bracket != null ? produceBracketed(ring) : produce(ring);
            awaitDrained(disruptor, last, lastPublished);
            inputFailure = visible.failure() != null || infrared == null ? visible.failure() : infrared.failure();
        } finally {
            if (disruptor != null) {
                disruptor.halt();
                joinStageThreads();
            }
            RuntimeException closeFailure = closeAll(sinks);
            if (failure.failed()) {
                throw asIvfuse(failure.failure());
            }
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
        if (inputFailure != null && !(inputFailure instanceof InputLostException)) {
            throw inputFailure;
        }
        RunSummary summary = RunSummary.from(metrics, (System.nanoTime() - start) / 1e9);
        summary.openSeconds = openSeconds;
        summary.paired = bracket != null ? bracket.pairedCount() : pairer.pairedCount();
        summary.interrupted = stopRequested;
        summary.inputLost = inputFailure == null ? null : inputFailure.getMessage();
        if (summary.framesOut == 0 && !stopRequested && inputFailure == null) {
            throw bracket != null ? new IvfuseException("the bracketed stream has no frames") : noOverlap();
        }
        return summary;
    }

    /** Pairs and publishes until the input ends; returns the last published sequence. */
    private long produce(RingBuffer<FrameEvent> ring) {
        Publisher publisher = new Publisher(ring);
        boolean live = settings.live();
        while (!stopRequested && !failure.failed() && (settings.maxFrames() == 0 || publisher.index < settings.maxFrames())
                && (infrared == null || infrared.failure() == null)) {
            InputFrame vis = visible.next(live ? System.nanoTime() + VISIBLE_POLL_NANOS : FramePairer.FOREVER);
            if (vis == null) {
                if (visible.isEnded()) {
                    break;
                }
                whileVisibleIsDown(publisher);
                continue;
            }
            visibleSeen = true;
            try {
                if (vis.timestampUs() >= settings.toUs()) {
                    break;
                }
                if (vis.timestampUs() < settings.fromUs()) {
                    if (pairer.pair(vis.timestampUs(), FramePairer.FOREVER) == PairDecision.END) {
                        break;
                    }
                    continue; // pre-roll: paired, not output
                }
                if (!windowEntered) {
                    windowEntered = true;
                    pairer.resetCounts();
                }
                pairAndPublish(vis, publisher);
                if (publisher.ended) {
                    break;
                }
            } finally {
                visible.release(vis);
            }
        }
        return publisher.finish();
    }

    /**
     * Publishes every frame of the bracketed stream: fused with the latest frame of the other
     * exposure, or alone until there is one. Returns the last published sequence.
     */
    private long produceBracketed(RingBuffer<FrameEvent> ring) {
        Publisher publisher = new Publisher(ring);
        boolean live = settings.live();
        while (!stopRequested && !failure.failed() && (settings.maxFrames() == 0 || publisher.index < settings.maxFrames())) {
            InputFrame frame = visible.next(live ? System.nanoTime() + VISIBLE_POLL_NANOS : FramePairer.FOREVER);
            if (frame == null) {
                if (visible.isEnded()) {
                    break;
                }
                continue;
            }
            try {
                if (frame.timestampUs() >= settings.toUs()) {
                    break;
                }
                if (frame.timestampUs() < settings.fromUs()) {
                    bracket.pair(frame); // pre-roll: labelled and kept, not output
                    bracket.keep(frame);
                    continue;
                }
                if (!windowEntered) {
                    windowEntered = true;
                    bracket.resetCounts();
                }
                long t0 = System.nanoTime();
                InputFrame partner = bracket.pair(frame);
                metrics.pair.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                if (partner == null) {
                    metrics.visibleOnly.inc();
                    publisher.publish(frame, null, FrameKind.VISIBLE_ONLY, false);
                } else {
                    metrics.skew.update(Math.abs(frame.timestampUs() - partner.timestampUs()));
                    FrameKind kind = skipForRate(frame.timestampUs()) ? FrameKind.SKIPPED : FrameKind.FUSED;
                    publisher.publish(frame, partner, kind, bracket.isOver());
                }
                bracket.keep(frame);
            } finally {
                visible.release(frame);
            }
        }
        if (!stopRequested && !failure.failed()) {
            bracket.checkEnd();
        }
        return publisher.finish();
    }

    private void pairAndPublish(InputFrame vis, Publisher publisher) {
        long t0 = System.nanoTime();
        long waited = pairer.waitedNanos();
        long irWait = settings.live() ? pairer.irDeadlineNanos(vis.timestampUs(), IR_SLACK_NANOS) : FramePairer.FOREVER;
        PairDecision decision = pairer.pair(vis.timestampUs(), irWait);
        // Pairing work only: the wait for the IR reader is not pairing (it shows in decode_ir).
        metrics.pair.update(System.nanoTime() - t0 - (pairer.waitedNanos() - waited), TimeUnit.NANOSECONDS);
        switch (decision) {
            case END -> publisher.ended = true;
            case DROPPED -> metrics.droppedUnpaired.inc();
            case VISIBLE_ONLY -> {
                metrics.visibleOnly.inc();
                states.enter(CameraStates.State.VISIBLE_ONLY);
                publisher.publish(vis, null, FrameKind.VISIBLE_ONLY, false);
            }
            case PAIRED, HELD -> {
                if (decision == PairDecision.HELD) {
                    metrics.held.inc();
                }
                states.enter(CameraStates.State.FUSING);
                metrics.skew.update(Math.abs(pairer.lastSkewUs()));
                publisher.publish(vis, pairer.irFrame(), skipForRate(vis.timestampUs()) ? FrameKind.SKIPPED : FrameKind.FUSED,
                        false);
            }
        }
    }

    /** {@code fusion.max_fps}: true when this frame comes too soon after the last fused one. */
    private boolean skipForRate(long visibleUs) {
        if (settings.maxFps() <= 0) {
            return false;
        }
        long interval = Math.round(1e6 / settings.maxFps());
        if (lastFusedUs != Long.MIN_VALUE && visibleUs - lastFusedUs < interval - interval / 10) {
            metrics.skipped.inc();
            return true;
        }
        lastFusedUs = visibleUs;
        return false;
    }

    /** Live, no visible frame for a while: pause, or write IR-only frames while the visible input is down. */
    private void whileVisibleIsDown(Publisher publisher) {
        if (visible.online() || !visibleSeen) {
            return; // just a gap between frames, or the first frame is still on its way
        }
        if (settings.visibleDown() != VisibleDown.IR_ONLY) {
            states.enter(CameraStates.State.PAUSED);
            return;
        }
        InputFrame ir;
        while (!visible.online() && !stopRequested && (ir = pairer.nextIrOnly(System.nanoTime() + VISIBLE_POLL_NANOS)) != null) {
            states.enter(CameraStates.State.IR_ONLY);
            metrics.irOnly.inc();
            publisher.publish(null, ir, FrameKind.IR_ONLY, false);
        }
    }

    /**
     * Puts pairs into the ring. {@code block}: waits for a free slot. {@code drop-oldest}: never
     * waits; a pair that finds the ring full waits in one staging slot, and a newer pair replaces
     * it (the older one is dropped and counted), so the ring always gets the freshest.
     */
    private final class Publisher {
        private final RingBuffer<FrameEvent> ring;
        private final boolean dropOldest = settings.backpressure() == Backpressure.DROP_OLDEST;
        private final FrameEvent staging = dropOldest ? new FrameEvent(geometry) : null;
        private final byte[] neutralChroma = new byte[geometry.outputBytes() - geometry.chromaOffset()];
        private boolean stagingFull;
        private long published = -1;
        long index;
        boolean ended;

        Publisher(RingBuffer<FrameEvent> ring) {
            this.ring = ring;
            java.util.Arrays.fill(neutralChroma, (byte) 128);
        }

        /** @param swapped the second input is the darker exposure (bracketed streams) */
        void publish(InputFrame vis, InputFrame ir, FrameKind kind, boolean swapped) {
            if (!dropOldest) {
                long seq = freeSlots.next(ring);
                fill(ring.get(seq), vis, ir, kind, index++, swapped);
                ring.publish(seq);
                published = seq;
                return;
            }
            if (stagingFull) {
                long seq = tryClaim(ring);
                if (seq >= 0) {
                    moveStaged(ring, seq, staging, index++);
                    published = seq;
                } else {
                    metrics.droppedBackpressure.inc();
                }
            }
            fill(staging, vis, ir, kind, -1, swapped);
            stagingFull = true;
            long seq = tryClaim(ring);
            if (seq >= 0) {
                moveStaged(ring, seq, staging, index++);
                published = seq;
                stagingFull = false;
            }
        }

        /** Publishes a pair still waiting in staging; returns the last published sequence. */
        long finish() {
            if (stagingFull && !failure.failed()) {
                long seq = ring.next();
                moveStaged(ring, seq, staging, index);
                published = seq;
            }
            return published;
        }

        private void fill(FrameEvent e, InputFrame vis, InputFrame ir, FrameKind kind, long frameIndex, boolean swapped) {
            int chromaOffset = geometry.chromaOffset();
            if (vis != null) {
                e.visibleY.copyFrom(vis.plane());
                if (e.visibleChroma != null) {
                    e.visibleChroma.put(0, vis.chroma(), 0, vis.chroma().capacity());
                } else {
                    e.output.put(chromaOffset, vis.chroma(), 0, vis.chroma().capacity());
                }
                e.visibleUs = vis.timestampUs();
                e.receivedNanos = vis.receivedNanos();
            } else {
                e.visibleY.fill((byte) 0);
                e.output.put(chromaOffset, neutralChroma);
                if (e.visibleChroma != null) {
                    e.visibleChroma.put(0, neutralChroma);
                }
                e.visibleUs = ir.timestampUs();
                e.receivedNanos = ir.receivedNanos();
            }
            if (ir != null) {
                e.infrared.copyFrom(ir.plane());
                if (e.infraredChroma != null) {
                    e.infraredChroma.put(0, ir.chroma(), 0, ir.chroma().capacity());
                }
                e.infraredUs = ir.timestampUs();
            }
            e.infraredHeld = pairer != null && pairer.lastDecision() == PairDecision.HELD;
            e.swapped = swapped;
            e.kind = kind;
            e.index = frameIndex;
        }
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
        ring.publish(seq);
    }

    /** Waits until every stage that opens something has (or failed to: the failure is latched). */
    private void awaitOpened(CountDownLatch opened) {
        try {
            opened.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestStop();
        }
    }

    /** Waits (parking, not spinning) until the output stage has passed {@code last}. */
    private void awaitDrained(Disruptor<FrameEvent> disruptor, EventHandler<FrameEvent> output, long last) {
        while (disruptor.getSequenceValueFor(output) < last) {
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Waits for every stage thread to leave: {@code Disruptor.halt()} only signals them, and the
     * sinks they write into must not be closed while one is still inside them.
     */
    private void joinStageThreads() {
        List<Thread> threads;
        synchronized (stageThreads) {
            threads = List.copyOf(stageThreads);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while waiting for {} to finish", t.getName());
                return;
            }
        }
    }

    private static RuntimeException closeAll(List<FrameSink> sinks) {
        RuntimeException first = null;
        for (FrameSink c : sinks) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = asIvfuse(e);
                }
            }
        }
        return first;
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

    /**
     * Names the ring's threads after their stage (in start order: register, fuse..., smooth when
     * weight smoothing is on, output) for thread dumps and profilers.
     */
    private final class StageThreads implements ThreadFactory {
        private int started;
        /** Set before the ring starts: a smoothing stage follows the fusion threads. */
        boolean smoothing;

        @Override
        public Thread newThread(Runnable r) {
            int n = started++;
            int fusion = settings.fusionThreads();
            String name = n == 0 ? "register" : n <= fusion ? "fuse-" + (n - 1)
                    : smoothing && n == fusion + 1 ? "smooth" : "output";
            Thread t = new Thread(r, ThreadNames.of(THREAD_PREFIX + name));
            t.setDaemon(true);
            synchronized (stageThreads) {
                stageThreads.add(t);
            }
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
