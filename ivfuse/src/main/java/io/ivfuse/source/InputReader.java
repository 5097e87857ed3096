package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.metrics.InputMetrics;
import io.ivfuse.util.Backoff;
import io.ivfuse.util.ThreadNames;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one input on threads of its own into a {@link FrameQueue}, so a slow or dead input never
 * stalls the other one.
 *
 * <p>Each connection to the input is a {@link Connection} thread that opens the stream, decodes
 * and copies frames into the queue. A supervisor thread watches it. A file ends at its end (and
 * a decode failure fails the run). A live input that fails, ends, or delivers no frame for
 * {@code stall_timeout_ms} is abandoned and reopened with exponential backoff, forever or up to
 * {@code max_reconnects} attempts in a row, after which the queue ends with an
 * {@link InputLostException}. An abandoned connection may be stuck inside FFmpeg (a hung read
 * holds the grabber's lock); it is never waited for, and frees its grabber itself once FFmpeg's
 * own timeout releases it.
 */
public final class InputReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InputReader.class);
    /** Slots the pairing thread may hold at once (current, look-ahead and shown IR frames). */
    private static final int HELD_BY_CONSUMER = 3;
    /** How long close() waits for the current connection to free its grabber. */
    private static final long CLOSE_WAIT_MILLIS = 1000;

    private final InputPlan plan;
    private final Decoding decoding;
    private final IvfuseConfig.Live live;
    private final InputMetrics metrics;
    private final boolean dropOldest;
    private final LiveClock clock = new LiveClock();
    private final Object wakeUp = new Object();
    private FrameQueue queue;
    private Thread supervisor;
    private Connection connection;
    private int connections;
    private int width;
    private int height;
    private double frameRate;
    private long lengthInFrames;
    private boolean gray;
    private volatile boolean closed;

    /**
     * @param dropOldest never block the input: drop the oldest waiting frame when the queue is full
     */
    public InputReader(InputPlan plan, Decoding decoding, IvfuseConfig.Live live, InputMetrics metrics,
                       boolean dropOldest) {
        this.plan = plan;
        this.decoding = decoding;
        this.live = live;
        this.metrics = metrics;
        this.dropOldest = dropOldest;
    }

    /**
     * Opens the input (retrying a live one for up to {@code start_timeout_ms}) and starts reading.
     * Throws IvfuseException naming the input when it cannot be opened.
     */
    public void start() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(live.startTimeoutMs);
        Backoff backoff = new Backoff(live.reconnectInitialMs, live.reconnectMaxMs);
        while (true) {
            Connection c = new Connection(0, 0);
            IvfuseException failure = c.awaitOpened(openTimeoutNanos());
            if (failure == null) {
                VideoSource v = c.video;
                width = v.width();
                height = v.height();
                frameRate = v.frameRate();
                lengthInFrames = v.lengthInFrames();
                gray = v.sourceComponents() == 1;
                queue = new FrameQueue(plan.live() ? live.queueSize : Math.max(2, live.queueSize), HELD_BY_CONSUMER,
                        () -> decoding.newFrame(width, height));
                metrics.bindQueueDropped(queue::dropped);
                connection = c;
                c.go(queue);
                supervisor = new Thread(this::supervise, ThreadNames.of("ivfuse-input-" + metrics.role));
                supervisor.setDaemon(true);
                supervisor.start();
                return;
            }
            c.abandon();
            long wait = backoff.next();
            if (!plan.live() || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait) > deadline) {
                throw failure;
            }
            log.warn("{} is not up yet ({}); retrying for up to {} ms", plan.label(), failure.getMessage(),
                    live.startTimeoutMs);
            if (!pause(wait)) {
                throw failure;
            }
        }
    }

    /**
     * Starts several inputs at once (a slow camera doesn't delay the others' first frames, so they
     * begin together); throws the first input's failure, in argument order.
     */
    public static void startAll(InputReader... readers) {
        IvfuseException[] failures = new IvfuseException[readers.length];
        Thread[] starters = new Thread[readers.length];
        for (int i = 0; i < readers.length; i++) {
            int k = i;
            starters[i] = new Thread(() -> {
                try {
                    readers[k].start();
                } catch (IvfuseException e) {
                    failures[k] = e;
                } catch (RuntimeException | Error e) { // an OutOfMemoryError too: the caller reports it, not this thread
                    failures[k] = new IvfuseException(readers[k].plan.label() + ": " + e, e);
                }
            }, ThreadNames.of("ivfuse-start-" + readers[i].metrics.role));
            starters[i].start();
        }
        for (Thread t : starters) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IvfuseException("interrupted while opening the inputs");
            }
        }
        for (IvfuseException f : failures) {
            if (f != null) {
                throw f;
            }
        }
    }

    private long openTimeoutNanos() {
        // FFmpeg's own timeouts bound connecting and reading; this is the net under them.
        return plan.live() ? TimeUnit.MILLISECONDS.toNanos(2 * live.timeoutMs + 2000) : Long.MAX_VALUE / 4;
    }

    /** The supervisor: watches the connection and replaces it when it fails, ends or stalls. */
    private void supervise() {
        Backoff backoff = new Backoff(live.reconnectInitialMs, live.reconnectMaxMs);
        Connection c = connection;
        while (!closed) {
            String ending = c.awaitEnd(plan.live() ? TimeUnit.MILLISECONDS.toNanos(live.stallTimeoutMs) : 0);
            c.abandon();
            if (closed) {
                return;
            }
            if (!plan.live()) {
                queue.end(c.failure);
                return;
            }
            setOnline(false);
            if (c.stalled) {
                metrics.stalls.inc();
            } else {
                metrics.failures.inc();
            }
            log.warn("{} lost ({}); reconnecting", plan.label(), ending);
            long lostAt = System.nanoTime();
            if (c.delivered > 0) {
                backoff.reset();
            }
            c = reconnect(backoff, ending);
            if (c == null) {
                return;
            }
            connection = c;
            metrics.reconnects.inc();
            log.info("{} back after {} s", plan.label(), String.format("%.1f", (System.nanoTime() - lostAt) / 1e9));
        }
    }

    /** Opens new connections with backoff until one works; null when closed or given up. */
    private Connection reconnect(Backoff backoff, String firstReason) {
        String reason = firstReason;
        for (int attempt = 1; !closed; attempt++) {
            if (live.maxReconnects >= 0 && attempt > live.maxReconnects) {
                queue.end(new InputLostException(plan.label() + " lost and not back after " + live.maxReconnects
                        + " reconnection attempts (last: " + reason + ")"));
                return null;
            }
            if (!pause(backoff.next())) {
                return null;
            }
            Connection c = new Connection(width, height);
            IvfuseException failure = c.awaitOpened(openTimeoutNanos());
            if (failure == null) {
                clock.rebase();
                c.go(queue);
                return c;
            }
            c.abandon();
            reason = failure.getMessage();
            log.debug("{}: reconnection attempt {} failed: {}", plan.label(), attempt, reason);
        }
        return null;
    }

    /** Waits {@code millis} unless closed first; false when closed. */
    private boolean pause(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (wakeUp) {
            while (!closed) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private void setOnline(boolean online) {
        metrics.setOnline(online);
        queue.setOnline(online);
    }

    public FrameQueue queue() {
        return queue;
    }

    public InputPlan plan() {
        return plan;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Nominal frame rate; 0 when the stream does not say. */
    public double frameRate() {
        return frameRate;
    }

    /** Whether the stream is gray (one component, before conversion to the pipeline's format), as first opened. */
    public boolean gray() {
        return gray;
    }

    /** Frames a file announces (an estimate; 0 for live streams). */
    public long lengthInFrames() {
        return lengthInFrames;
    }

    /** Stops reading: ends the queue and abandons the connection (without waiting on FFmpeg). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (queue != null) {
            queue.end(null);
        }
        Connection c = connection;
        if (c != null) {
            c.abandon();
        }
        try {
            if (supervisor != null) {
                supervisor.join(2000);
            }
            // A connection that is not stuck in FFmpeg sees the abandon within a frame and frees its
            // grabber; give it that long (a stuck one frees it when FFmpeg's own timeout fires).
            if (c != null) {
                c.thread.join(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (queue != null) {
            setOnline(false);
        }
    }

    /**
     * One connection to the input, on its own thread: open, then decode into the queue until the
     * stream ends, fails, or the connection is abandoned. It alone owns its grabber.
     */
    private final class Connection implements Runnable {
        private final int forcedWidth;
        private final int forcedHeight;
        private final Thread thread;
        private final long startedNanos = System.nanoTime();
        private VideoSource video;
        private FrameQueue target;
        private boolean opened;
        private boolean finished;
        private IvfuseException failure;
        private volatile boolean abandoned;
        private volatile long lastFrameNanos;
        private volatile long delivered;
        private boolean stalled;

        Connection(int forcedWidth, int forcedHeight) {
            this.forcedWidth = forcedWidth;
            this.forcedHeight = forcedHeight;
            this.thread = new Thread(this, ThreadNames.of("ivfuse-input-" + metrics.role + "-" + (++connections)));
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            VideoSource v = null;
            Decoding.Copier copier = null;
            try {
                v = decoding.open(plan, forcedWidth, forcedHeight);
                if (!opened(v)) {
                    return;
                }
                FrameQueue q = awaitGo();
                if (q == null) {
                    return;
                }
                copier = decoding.copier(v);
                read(v, copier, q);
            } catch (IvfuseException e) {
                finish(e);
            } catch (RuntimeException e) {
                finish(new IvfuseException(plan.label() + ": " + e, e));
            } finally {
                if (copier != null) {
                    copier.close();
                }
                if (v != null) {
                    v.close();
                }
            }
        }

        private void read(VideoSource v, Decoding.Copier copier, FrameQueue q) {
            boolean live = plan.live();
            // The decode timer counts this thread's CPU time: for a live input the wall time of
            // grab() is mostly waiting for the camera's next packet.
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            boolean cpuTime = cpu.isCurrentThreadCpuTimeSupported();
            long firstPtsUs = Long.MIN_VALUE;
            long pacedFromNanos = 0;
            DamageWatch damage = new DamageWatch(metrics, !live, v);
            while (!abandoned) {
                long t0 = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
                if (!v.grab()) {
                    damage.ended(v);
                    finish(null);
                    return;
                }
                damage.frame(v);
                if (plan.paced()) {
                    if (firstPtsUs == Long.MIN_VALUE) {
                        firstPtsUs = v.timestampUs();
                        pacedFromNanos = System.nanoTime();
                    }
                    waitUntil(pacedFromNanos + (v.timestampUs() - firstPtsUs) * 1000);
                }
                long received = System.nanoTime();
                if (abandoned) {
                    return;
                }
                long decodeNanos = (cpuTime ? cpu.getCurrentThreadCpuTime() : received) - t0;
                InputFrame slot = q.acquire(dropOldest);
                if (slot == null) {
                    return;
                }
                if (abandoned) {
                    q.discard(slot);
                    return;
                }
                // The decoder writes the picture into the slot: that conversion is decoding too
                // (the wait for a free slot is not).
                long t1 = cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime();
                copier.copy(v, slot);
                decodeNanos += (cpuTime ? cpu.getCurrentThreadCpuTime() : System.nanoTime()) - t1;
                metrics.decode.update(decodeNanos, TimeUnit.NANOSECONDS);
                slot.setTimestampUs(live ? clock.map(v.timestampUs(), received) : v.timestampUs());
                slot.setReceivedNanos(received);
                q.publish(slot);
                lastFrameNanos = received;
                if (delivered++ == 0) {
                    setOnline(true);
                }
                metrics.frameReceived(received);
            }
        }

        /** Paces a recording played as a camera: parks until the frame's time has come. */
        private void waitUntil(long nanos) {
            long left;
            while ((left = nanos - System.nanoTime()) > 0 && !abandoned) {
                LockSupport.parkNanos(left);
            }
        }

        private synchronized boolean opened(VideoSource v) {
            if (abandoned) {
                return false;
            }
            video = v;
            opened = true;
            lastFrameNanos = System.nanoTime();
            notifyAll();
            return true;
        }

        private synchronized FrameQueue awaitGo() throws IvfuseException {
            while (target == null && !abandoned) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    return null;
                }
            }
            return abandoned ? null : target;
        }

        synchronized void go(FrameQueue q) {
            target = q;
            notifyAll();
        }

        private synchronized void finish(IvfuseException e) {
            failure = e;
            finished = true;
            notifyAll();
        }

        /** Waits until opened (null) or failed (the error); a timeout is reported as an error too. */
        synchronized IvfuseException awaitOpened(long timeoutNanos) {
            long deadline = startedNanos + timeoutNanos;
            while (!opened && !finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new IvfuseException(plan.label() + " did not answer within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                waitNanos(left);
            }
            if (finished && failure == null && !opened) {
                return new IvfuseException(plan.label() + " ended before it opened");
            }
            return opened ? null : failure;
        }

        /**
         * Waits until the connection ends, fails, or (with {@code stallNanos > 0}) delivers no frame
         * for that long; returns what happened, in words.
         */
        synchronized String awaitEnd(long stallNanos) {
            while (!finished && !closed) {
                long wait = 100_000_000L;
                if (stallNanos > 0) {
                    long silent = System.nanoTime() - lastFrameNanos;
                    if (silent >= stallNanos) {
                        stalled = true;
                        return "no frame for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms";
                    }
                    wait = Math.min(wait, stallNanos - silent);
                }
                waitNanos(wait);
            }
            if (failure != null) {
                return failure.getMessage();
            }
            return "end of stream";
        }

        private void waitNanos(long nanos) {
            try {
                wait(Math.max(1, nanos / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandoned = true;
            }
        }

        void abandon() {
            abandoned = true;
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
