package io.ivfuse.sink;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import java.util.function.BooleanSupplier;

/**
 * Per-output metrics, registered on the job's registry under the output's short id (never its
 * URL, which may hold credentials): {@code ivfuse.output.<id>.frames} (meter: frames written or
 * sent), {@code .dropped} (frames an output had no room or no connection for), {@code .reconnects}
 * (connection attempts after the first) and {@code .online} (gauge: 1 while the output can take
 * frames).
 */
public final class OutputMetrics {
    public static final String PREFIX = "ivfuse.output.";
    public static final String FRAMES = "frames";
    public static final String DROPPED = "dropped";
    public static final String RECONNECTS = "reconnects";
    public static final String ONLINE = "online";

    public final Meter frames;
    public final Counter dropped;
    public final Counter reconnects;

    OutputMetrics(MetricRegistry registry, String id, BooleanSupplier online) {
        frames = registry.meter(name(id, FRAMES));
        dropped = registry.counter(name(id, DROPPED));
        reconnects = registry.counter(name(id, RECONNECTS));
        registry.gauge(name(id, ONLINE), () -> (Gauge<Integer>) () -> online.getAsBoolean() ? 1 : 0);
    }

    /** {@code ivfuse.output.<id>.<metric>}. */
    public static String name(String id, String metric) {
        return PREFIX + id + "." + metric;
    }
}
