package io.ivfuse.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One input's health and decode figures, named {@code ivfuse.input.<role>.*} (role {@code ir} or
 * {@code vis}): frames (meter), decode (timer), online (gauge, 1 or 0), reconnects, stalls,
 * decode failures, frames dropped by the input queue, and the age of the last frame.
 */
public final class InputMetrics {
    public static final String PREFIX = "ivfuse.input.";

    public final String role;
    public final Meter frames;
    public final Timer decode;
    public final Counter reconnects;
    public final Counter stalls;
    public final Counter failures;
    private volatile boolean online;
    private volatile long lastFrameNanos = Long.MIN_VALUE;
    private volatile LongSupplier queueDropped = () -> 0;

    InputMetrics(MetricRegistry registry, String role, Clock clock) {
        this.role = role;
        String p = PREFIX + role + ".";
        frames = registry.register(p + "frames", new Meter(clock));
        decode = registry.register(p + "decode", new Timer(new SlidingWindowReservoir(PipelineMetrics.WINDOW), clock));
        reconnects = registry.counter(p + "reconnects");
        stalls = registry.counter(p + "stalls");
        failures = registry.counter(p + "failures");
        registry.register(p + "online", (Gauge<Integer>) () -> online ? 1 : 0);
        registry.register(p + "queue_dropped", (Gauge<Long>) () -> queueDropped.getAsLong());
        registry.register(p + "last_frame_age_ms", (Gauge<Long>) this::lastFrameAgeMs);
    }

    public void setOnline(boolean online) {
        this.online = online;
    }

    public boolean online() {
        return online;
    }

    /** Called for each frame delivered, with its receive time. */
    public void frameReceived(long nanos) {
        lastFrameNanos = nanos;
        frames.mark();
    }

    /** Milliseconds since the last frame arrived; -1 before the first. */
    public long lastFrameAgeMs() {
        long last = lastFrameNanos;
        return last == Long.MIN_VALUE ? -1 : (System.nanoTime() - last) / 1_000_000;
    }

    public void bindQueueDropped(LongSupplier dropped) {
        this.queueDropped = dropped;
    }

    public long queueDropped() {
        return queueDropped.getAsLong();
    }

    /** The figures for the run summary (JSON {@code inputs.<role>}). */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("online", online);
        m.put("frames", frames.getCount());
        m.put("reconnects", reconnects.getCount());
        m.put("stalls", stalls.getCount());
        m.put("failures", failures.getCount());
        m.put("queue_dropped", queueDropped());
        m.put("last_frame_age_ms", lastFrameAgeMs());
        m.put("decode_p50_ms", decode.getSnapshot().getMedian() / 1e6);
        return m;
    }
}
