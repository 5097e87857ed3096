package io.ivfuse.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The pipeline's Dropwizard metrics. Names are constants here so dashboards survive refactors.
 * Timers and histograms use a sliding window of the last {@link #WINDOW} samples, whose update
 * writes into a fixed array: nothing is allocated per frame.
 */
public final class PipelineMetrics {
    public static final int WINDOW = 8192;

    public static final String OUTPUT_FRAMES = "ivfuse.output.frames";
    public static final String STAGE_PAIR = "ivfuse.stage.pair";
    public static final String STAGE_REGISTER = "ivfuse.stage.register";
    public static final String STAGE_FUSE = "ivfuse.stage.fuse";
    public static final String STAGE_ENCODE = "ivfuse.stage.encode";
    public static final String LATENCY = "ivfuse.latency";
    public static final String PAIRING_SKEW = "ivfuse.sync.skew_us";
    public static final String HELD = "ivfuse.sync.held";
    public static final String DROPPED_UNPAIRED = "ivfuse.sync.dropped";
    public static final String VISIBLE_ONLY = "ivfuse.sync.visible_only";
    public static final String IR_ONLY = "ivfuse.sync.ir_only";
    public static final String SKIPPED = "ivfuse.fusion.skipped";
    public static final String DROPPED_BACKPRESSURE = "ivfuse.ring.dropped";
    public static final String RING_OCCUPANCY = "ivfuse.ring.occupancy";

    public final MetricRegistry registry = new MetricRegistry();
    /** Per input: frames, decode time, online, reconnects, stalls, queue drops ({@code ivfuse.input.<role>.*}). */
    public final InputMetrics ir;
    public final InputMetrics vis;
    public final Meter framesOut;
    public final Timer pair;
    public final Timer register;
    public final Timer fuse;
    public final Timer encode;
    /** From the decoder returning the frame (its arrival) to leaving the last sink. */
    public final Timer latency;
    /** |IR time - visible time| of each fused pair, in microseconds. */
    public final Histogram skew;
    public final Counter held;
    public final Counter droppedUnpaired;
    public final Counter droppedBackpressure;
    /** Live frames passed through unfused because no IR frame was there. */
    public final Counter visibleOnly;
    /** Frames written from IR alone while the visible camera was down. */
    public final Counter irOnly;
    /** Frames not fused to keep fusion.max_fps. */
    public final Counter skipped;
    private final Clock clock;

    public PipelineMetrics() {
        this(Clock.defaultClock());
    }

    public PipelineMetrics(Clock clock) {
        this.clock = clock;
        ir = new InputMetrics(registry, "ir", clock);
        vis = new InputMetrics(registry, "vis", clock);
        framesOut = registry.register(OUTPUT_FRAMES, new Meter(clock));
        pair = timer(STAGE_PAIR);
        register = timer(STAGE_REGISTER);
        fuse = timer(STAGE_FUSE);
        encode = timer(STAGE_ENCODE);
        latency = timer(LATENCY);
        skew = registry.register(PAIRING_SKEW, new Histogram(new SlidingWindowReservoir(WINDOW)));
        held = registry.counter(HELD);
        droppedUnpaired = registry.counter(DROPPED_UNPAIRED);
        droppedBackpressure = registry.counter(DROPPED_BACKPRESSURE);
        visibleOnly = registry.counter(VISIBLE_ONLY);
        irOnly = registry.counter(IR_ONLY);
        skipped = registry.counter(SKIPPED);
    }

    private Timer timer(String name) {
        return registry.register(name, new Timer(new SlidingWindowReservoir(WINDOW), clock));
    }

    public void registerRingOccupancy(LongSupplier occupied) {
        registry.register(RING_OCCUPANCY, (Gauge<Long>) occupied::getAsLong);
    }

    /** The per-stage timers by short name, in pipeline order. */
    public Map<String, Timer> stages() {
        Map<String, Timer> m = new LinkedHashMap<>();
        m.put("decode_ir", ir.decode);
        m.put("decode_vis", vis.decode);
        m.put("pair", pair);
        m.put("register", register);
        m.put("fuse", fuse);
        m.put("encode", encode);
        m.put("latency", latency);
        return m;
    }
}
