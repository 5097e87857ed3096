package io.ivfuse.sink;

import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.util.Backoff;
import io.ivfuse.util.FfmpegLog;
import io.ivfuse.util.ThreadNames;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network stream (udp, rtp, srt, rtsp, rtmp) on a thread of its own, behind a small bounded
 * queue of preallocated frame buffers, so that a slow, absent or vanished receiver never holds up
 * the ring or the other outputs.
 *
 * <p>On the ring's output thread, {@link #write} copies the frame's picture into a free buffer, or
 * drops the frame (counted) when none is free; it never waits and allocates nothing. The output's
 * thread encodes and sends the buffered frames in order. It connects (and reconnects after a lost
 * connection) with exponential backoff, 0.5 s doubling to 30 s, counting attempts after the first
 * as reconnects; frames that arrive while it is offline are dropped. Each state change is logged
 * once. An SRT listener waits on this thread for a caller, in {@code listen_timeout} slices (1 s
 * unless set) so that closing never waits longer than that.
 *
 * <p>The queue is single-producer single-consumer: {@code tail} is written only by the ring's
 * thread, {@code head} only by the output's; a slot between them is the consumer's, the others the
 * producer's.
 */
final class NetworkOutput extends Output {
    static final long FIRST_RETRY_MS = 500;
    static final long MAX_RETRY_MS = 30_000;
    /** How long close() waits for the thread to send what is queued and finish the stream. */
    static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** AVERROR(ETIMEDOUT) on Linux: an SRT listener's listen_timeout passed without a caller. */
    private static final int ETIMEDOUT = -110;
    private static final Logger log = LoggerFactory.getLogger(NetworkOutput.class);

    private final OutputView view;
    private final MuxTarget mux;
    private final VideoEncoder.Choice choice;
    private final double fps;
    private final String name;
    private final ByteBuffer[] buffers;
    private final long[] timestamps;
    private final Thread thread;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** Next slot the output's thread takes. */
    private volatile long head;
    /** Next slot the ring's thread fills. */
    private volatile long tail;
    private volatile boolean waiting;
    private volatile boolean closing;
    private volatile boolean online;
    private boolean closed;
    /** The run's network outputs (this one included): closing one starts closing them all, so their waits overlap. */
    private List<NetworkOutput> closeGroup = List.of(this);

    NetworkOutput(OutputTarget target, OutputContext ctx) {
        super(target, ctx.registry());
        this.fps = ctx.fps() > 0 ? ctx.fps() : 30;
        this.name = target.label() + " [" + target.id() + "]";
        this.view = OutputView.of(target.view(), ctx.geometry());
        try {
            this.mux = target.mux();
            // The encoder is chosen (and the options checked) here, on the caller's thread: a bad
            // setting is an error at start; only the connection is left to the output's thread.
            this.choice = VideoEncoder.choose(mux, view.width(), view.height(), fps, target.encoding());
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
        buffers = new ByteBuffer[target.queueSize()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(view.bytes());
        }
        timestamps = new long[buffers.length];
        // Named by the short id: the URL may hold credentials.
        thread = new Thread(this::run, ThreadNames.of("ivfuse.out." + target.id()));
        thread.setDaemon(true);
        thread.start();
    }

    /** Ring thread: copies the picture into a free buffer, or drops the frame. */
    @Override
    public void write(FrameEvent frame, FrameGeometry geometry) {
        long t = tail;
        if (closed || t - head >= buffers.length) {
            metrics.dropped.inc();
            return;
        }
        int slot = (int) (t % buffers.length);
        view.copyInto(frame, geometry, buffers[slot]);
        timestamps[slot] = frame.visibleUs;
        tail = t + 1;
        if (waiting) {
            LockSupport.unpark(thread);
        }
    }

    void closeTogetherWith(List<NetworkOutput> group) {
        this.closeGroup = List.copyOf(group);
    }

    /** Asks the output's thread to send what is queued and end the stream; returns at once. */
    private void beginClose() {
        closing = true;
        LockSupport.unpark(thread);
    }

    /** Waits until the first connection attempt has succeeded or failed, at most {@code nanos}. */
    boolean awaitFirstAttempt(long nanos) throws InterruptedException {
        return firstAttempt.await(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public String encoder() {
        return choice.codec();
    }

    @Override
    public boolean online() {
        return online;
    }

    private void run() {
        Backoff backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
        boolean failing = false;
        boolean everOnline = false;
        boolean waitingForCaller = false;
        long attempts = 0;
        try {
            while (!closing) {
                if (target.listener() && !waitingForCaller) {
                    log.info("{}: listening, waiting for a caller", name);
                    waitingForCaller = true;
                }
                VideoEncoder encoder;
                // FFmpeg's own messages about a failing connection: the first time only.
                FfmpegLog.quiet(failing);
                try {
                    encoder = VideoEncoder.start(mux, choice, view.width(), view.height(), fps, target.encoding());
                } catch (RuntimeException e) {
                    firstAttempt.countDown();
                    int code = e instanceof VideoEncoder.StartException s ? s.errorCode() : 0;
                    if (target.listener() && code == ETIMEDOUT) {
                        discardQueued(); // no caller yet: listen again, no backoff
                        continue;
                    }
                    if (attempts++ > 0) {
                        metrics.reconnects.inc();
                    }
                    long wait = backoff.next();
                    if (!failing) {
                        log.warn("{}: {}; retrying in the background ({} s, doubling to {} s)", name,
                                reason(e), wait / 1e3, backoff.maxMs() / 1000);
                        failing = true;
                    } else {
                        log.debug("{}: still offline: {}", name, reason(e));
                    }
                    pause(wait);
                    continue;
                }
                if (attempts++ > 0) {
                    metrics.reconnects.inc();
                }
                if (everOnline || target.listener()) {
                    discardQueued(); // stale: queued while connecting
                }
                online = true;
                firstAttempt.countDown();
                log.info("{}: {} ({})", name, everOnline || failing ? "online again" : "streaming", choice.codec());
                everOnline = true;
                failing = false;
                FfmpegLog.quiet(false);
                waitingForCaller = false;
                backoff.reset();
                String lost = send(encoder);
                online = false;
                if (lost == null) {
                    finish(encoder);
                    return;
                }
                FfmpegLog.quiet(true);
                release(encoder);
                log.warn("{}: connection lost ({}); reconnecting", name, lost);
                failing = true;
                pause(backoff.next());
            }
        } finally {
            online = false;
            discardQueued(); // closing while offline: what is left was never sent
            firstAttempt.countDown();
        }
    }

    /** Sends queued frames until closing (null) or until sending fails (the reason). */
    private String send(VideoEncoder encoder) {
        long firstUs = Long.MIN_VALUE;
        while (true) {
            long h = head;
            if (h == tail) {
                if (closing) {
                    return null;
                }
                waiting = true;
                if (head == tail && !closing) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                waiting = false;
                continue;
            }
            int slot = (int) (h % buffers.length);
            long us = timestamps[slot];
            if (firstUs == Long.MIN_VALUE) {
                firstUs = us;
            }
            try {
                encoder.write(buffers[slot], us - firstUs);
            } catch (RuntimeException e) {
                head = h + 1;
                metrics.dropped.inc();
                return reason(e);
            }
            head = h + 1;
            metrics.frames.mark();
        }
    }

    /** Waits out a retry delay (or until closing), dropping what arrives meanwhile. */
    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!closing) {
            discardQueued();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, IDLE_PARK_NANOS));
        }
    }

    private void discardQueued() {
        long t = tail;
        long h = head;
        if (t > h) {
            metrics.dropped.inc(t - h);
            head = t;
        }
    }

    private void finish(VideoEncoder encoder) {
        try {
            encoder.close();
        } catch (RuntimeException e) {
            log.debug("{}: {}", name, reason(e));
        }
    }

    private void release(VideoEncoder encoder) {
        try {
            encoder.close();
        } catch (RuntimeException ignored) {
            // The connection is gone already.
        }
    }

    /** The message without the "output URL: " it starts with (the name is logged already). */
    private String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        String prefix = target.label() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** Sends what is queued, ends the stream, and waits for that (bounded): a stalled receiver can't hold up the end of a run. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeGroup.forEach(NetworkOutput::beginClose);
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: still connecting or sending after {} s; left to finish in the background", name,
                    CLOSE_WAIT_MILLIS / 1000);
        }
        view.close(); // used by the ring's thread only
    }
}
