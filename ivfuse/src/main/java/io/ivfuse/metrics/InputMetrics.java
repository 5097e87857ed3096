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
 * decode failures, frames dropped by the input queue, and the age of the last frame; and the
 * damage found in it: frames the decoder reported damaged ({@code decode_errors}), of which
 * concealed ({@code concealed}), frames missing from a recording's timeline ({@code
 * missing_frames}) or out of order ({@code out_of_order}: a timestamp going back), and a
 * recording that ended before the end it declares ({@code truncated}).
 */
public final class InputMetrics {
    public static final String PREFIX = "ivfuse.input.";

    public final String role;
    public final Meter frames;
    public final Timer decode;
    public final Counter reconnects;
    public final Counter stalls;
    public final Counter failures;
    public final Counter decodeErrors;
    public final Counter concealed;
    public final Counter missingFrames;
    public final Counter outOfOrder;
    private volatile boolean online;
    /** Set when a recording ended early: where its frames ended and where it says it ends (microseconds). */
    private volatile long endedAtUs = -1;
    private volatile long declaredEndUs = -1;
    private volatile String readError;
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
        decodeErrors = registry.counter(p + "decode_errors");
        concealed = registry.counter(p + "concealed");
        missingFrames = registry.counter(p + "missing_frames");
        outOfOrder = registry.counter(p + "out_of_order");
        registry.register(p + "truncated", (Gauge<Integer>) () -> truncated() ? 1 : 0);
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

    /**
     * Records that a recording ended early: its last frame ends at {@code endedAtUs} but it declares
     * {@code declaredEndUs} (-1 when only a read error says so), with the demuxer's read error if any.
     */
    public void truncated(long endedAtUs, long declaredEndUs, String readError) {
        this.endedAtUs = endedAtUs;
        this.declaredEndUs = declaredEndUs;
        this.readError = readError;
    }

    public boolean truncated() {
        return endedAtUs >= 0;
    }

    /**
     * The damage found in this input, in words ("3 frames with decode errors (2 concealed), 1
     * missing, ended early: at 0.53 s of the 1.00 s it declares"); null when none was found.
     */
    public String damage() {
        StringBuilder d = new StringBuilder();
        long errors = decodeErrors.getCount();
        if (errors > 0) {
            d.append(errors).append(errors == 1 ? " frame" : " frames").append(" with decode errors");
            if (concealed.getCount() > 0) {
                d.append(" (").append(concealed.getCount()).append(" concealed)");
            }
        }
        long missing = missingFrames.getCount();
        if (missing > 0) {
            d.append(d.length() > 0 ? ", " : "").append(missing).append(missing == 1 ? " frame" : " frames")
                    .append(" missing");
        }
        long misplaced = outOfOrder.getCount();
        if (misplaced > 0) {
            d.append(d.length() > 0 ? ", " : "").append(misplaced).append(misplaced == 1 ? " frame" : " frames")
                    .append(" out of order");
        }
        if (truncated()) {
            d.append(d.length() > 0 ? ", " : "").append("ended early");
            if (declaredEndUs >= 0) {
                d.append(String.format(": at %.2f s of the %.2f s it declares", endedAtUs / 1e6, declaredEndUs / 1e6));
            }
            if (readError != null) {
                d.append(declaredEndUs >= 0 ? " (" : " (read error: ").append(readError).append(')');
            }
        }
        return d.length() == 0 ? null : d.toString();
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
        m.put("decode_errors", decodeErrors.getCount());
        m.put("concealed", concealed.getCount());
        m.put("missing_frames", missingFrames.getCount());
        m.put("out_of_order", outOfOrder.getCount());
        m.put("truncated", truncated());
        m.put("damage", damage());
        return m;
    }
}
