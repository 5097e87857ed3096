package io.ivfuse.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import io.ivfuse.source.FrameReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The pipeline's Dropwizard metrics. Names are constants here so dashboards survive refactors.
 * Timers and histograms use a sliding window of the last {@link #WINDOW} samples, whose update
 * writes into a fixed array: nothing is allocated per frame.
 */
public final class PipelineMetrics {
    public static final int WINDOW = 8192;

    public static final String IR_FRAMES = "ivfuse.source.ir.frames";
    public static final String VISIBLE_FRAMES = "ivfuse.source.visible.frames";
    public static final String OUTPUT_FRAMES = "ivfuse.output.frames";
    public static final String STAGE_DECODE = "ivfuse.stage.decode";
    public static final String STAGE_PAIR = "ivfuse.stage.pair";
    public static final String STAGE_REGISTER = "ivfuse.stage.register";
    public static final String STAGE_FUSE = "ivfuse.stage.fuse";
    public static final String STAGE_ENCODE = "ivfuse.stage.encode";
    public static final String LATENCY = "ivfuse.latency";
    public static final String PAIRING_SKEW = "ivfuse.sync.skew_us";
    public static final String HELD = "ivfuse.sync.held";
    public static final String DROPPED_UNPAIRED = "ivfuse.sync.dropped";
    public static final String DROPPED_BACKPRESSURE = "ivfuse.ring.dropped";
    public static final String RING_OCCUPANCY = "ivfuse.ring.occupancy";

    public final MetricRegistry registry = new MetricRegistry();
    public final Meter irFrames;
    public final Meter visibleFrames;
    public final Meter framesOut;
    public final Timer decode;
    public final Timer pair;
    public final Timer register;
    public final Timer fuse;
    public final Timer encode;
    /** From entering the ring to leaving the last sink. */
    public final Timer latency;
    /** |IR time - visible time| of each fused pair, in microseconds. */
    public final Histogram skew;
    public final Counter held;
    public final Counter droppedUnpaired;
    public final Counter droppedBackpressure;
    private final Clock clock;

    public PipelineMetrics() {
        this(Clock.defaultClock());
    }

    public PipelineMetrics(Clock clock) {
        this.clock = clock;
        irFrames = registry.register(IR_FRAMES, new Meter(clock));
        visibleFrames = registry.register(VISIBLE_FRAMES, new Meter(clock));
        framesOut = registry.register(OUTPUT_FRAMES, new Meter(clock));
        decode = timer(STAGE_DECODE);
        pair = timer(STAGE_PAIR);
        register = timer(STAGE_REGISTER);
        fuse = timer(STAGE_FUSE);
        encode = timer(STAGE_ENCODE);
        latency = timer(LATENCY);
        skew = registry.register(PAIRING_SKEW, new Histogram(new SlidingWindowReservoir(WINDOW)));
        held = registry.counter(HELD);
        droppedUnpaired = registry.counter(DROPPED_UNPAIRED);
        droppedBackpressure = registry.counter(DROPPED_BACKPRESSURE);
    }

    private Timer timer(String name) {
        return registry.register(name, new Timer(new SlidingWindowReservoir(WINDOW), clock));
    }

    /** Wraps the IR reader so its frames are counted and its decoding timed. */
    public FrameReader meterInfrared(FrameReader ir) {
        return into -> {
            long t0 = System.nanoTime();
            boolean ok = ir.read(into);
            decode.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            if (ok) {
                irFrames.mark();
            }
            return ok;
        };
    }

    public void registerRingOccupancy(LongSupplier occupied) {
        registry.register(RING_OCCUPANCY, (Gauge<Long>) occupied::getAsLong);
    }

    /** The per-stage timers by short name, in pipeline order. */
    public Map<String, Timer> stages() {
        Map<String, Timer> m = new LinkedHashMap<>();
        m.put("decode", decode);
        m.put("pair", pair);
        m.put("register", register);
        m.put("fuse", fuse);
        m.put("encode", encode);
        m.put("latency", latency);
        return m;
    }
}
