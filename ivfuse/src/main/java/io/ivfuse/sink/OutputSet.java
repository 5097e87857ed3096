package io.ivfuse.sink;

import com.codahale.metrics.MetricRegistry;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.config.IvfuseConfig.OutputEntry;
import io.ivfuse.config.IvfuseConfig.View;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's outputs, as configured: {@code output.path}, the {@code outputs} list (or {@code -o}
 * flags), {@code output.side_by_side} and {@code output.display}, in that order, each resolved by
 * {@link OutputKinds} and opened as an {@link Output}. Files are written on the ring's output
 * thread; network streams each on their own thread (they never hold the ring up).
 */
public final class OutputSet {
    /** How long opening waits for network outputs' first connection, so a receiver that is there gets the first frames. */
    static final long FIRST_CONNECT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger log = LoggerFactory.getLogger(OutputSet.class);

    private final IvfuseConfig config;
    private final MetricRegistry registry;
    private final List<Output> opened = new ArrayList<>();
    private List<OutputTarget> targets = List.of();

    private final int encoderThreads;

    /** The outputs of {@code config}; FFmpeg picks the threads of encoders the config leaves open. */
    public OutputSet(IvfuseConfig config, MetricRegistry registry) {
        this(config, registry, 0);
    }

    /** As {@link #OutputSet(IvfuseConfig, MetricRegistry)}, encoders the config leaves open getting {@code encoderThreads} (the thread plan's). */
    public OutputSet(IvfuseConfig config, MetricRegistry registry, int encoderThreads) {
        this.config = config;
        this.registry = registry;
        this.encoderThreads = encoderThreads;
    }

    /** The configured outputs with their config keys (for messages), in order. */
    public static Map<String, OutputEntry> entries(IvfuseConfig c) {
        Map<String, OutputEntry> m = new java.util.LinkedHashMap<>();
        if (c.output.path != null && !c.output.path.isBlank()) {
            m.put("output.path", OutputEntry.of(c.output.path));
        }
        for (int i = 0; i < c.outputs.size(); i++) {
            m.put("outputs[" + i + "]", c.outputs.get(i));
        }
        if (c.output.sideBySide != null && !c.output.sideBySide.isBlank()) {
            OutputEntry e = OutputEntry.of(c.output.sideBySide);
            e.view = View.SIDE_BY_SIDE;
            m.put("output.side_by_side", e);
        }
        if (c.output.display) {
            m.put("output.display", OutputEntry.of("display:"));
        }
        return m;
    }

    /**
     * Resolves and checks every output without opening any (ids, kinds, formats, options, folders):
     * each problem is an {@link IvfuseException} naming the output.
     */
    public static List<OutputTarget> plan(IvfuseConfig c) {
        List<OutputTarget> targets = new ArrayList<>();
        Map<String, String> keyOfId = new HashMap<>();
        int position = 0;
        for (Map.Entry<String, OutputEntry> e : entries(c).entrySet()) {
            String id = e.getValue().id != null ? e.getValue().id : "o" + position;
            position++;
            String previous = keyOfId.putIfAbsent(id, e.getKey());
            if (previous != null) {
                throw new IvfuseException("config key '" + e.getKey() + "': output id '" + id + "' is taken by " + previous);
            }
            targets.add(OutputKinds.resolve(e.getValue(), id, c.output));
        }
        return targets;
    }

    /** Opens every output for frames of {@code g} at {@code fps}; on failure, what was opened is left for {@link #abandon}. */
    public void open(FrameGeometry g, double fps) {
        targets = plan(config).stream().map(t -> t.withPlannedEncoderThreads(encoderThreads)).toList();
        OutputContext ctx = new OutputContext(g, fps, registry);
        List<NetworkOutput> network = new ArrayList<>();
        for (OutputTarget t : targets) {
            Output o = t.kind().open(t, ctx);
            opened.add(o);
            if (o instanceof NetworkOutput n) {
                network.add(n);
                network.forEach(each -> each.closeTogetherWith(network));
            }
        }
        long deadline = System.nanoTime() + FIRST_CONNECT_WAIT_NANOS;
        try {
            for (Output o : opened) {
                if (o instanceof NetworkOutput n && !o.target().listener()) {
                    n.awaitFirstAttempt(deadline - System.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The outputs, for the ring's output stage. */
    public List<FrameSink> sinks() {
        return List.copyOf(opened);
    }

    /** Fills the summary: the first output as {@code output}/{@code encoder}, and every output's figures. */
    public void report(RunSummary summary) {
        if (!opened.isEmpty()) {
            summary.output = opened.get(0).target().shown();
            summary.encoder = opened.get(0).encoder();
        }
        for (Output o : opened) {
            RunSummary.OutputStats stats = o.stats();
            summary.outputs.put(o.target().id(), stats);
            if (o.failed()) {
                // The run's frames out are no more than the failed file holds: never claim frames not on disk.
                summary.framesOut = Math.min(summary.framesOut, stats.frames);
            }
        }
    }

    /**
     * After a failure: closes what was opened (finishing any file written so far) and, if the run
     * wrote no frame, removes the files opening created.
     */
    public void abandon(boolean nothingWritten) {
        for (Output o : opened) {
            try {
                o.close();
            } catch (RuntimeException e) {
                log.warn("{}", e.getMessage());
            }
        }
        if (nothingWritten) {
            opened.forEach(Output::discardEmpty);
        }
    }

    /** The outputs, credentials hidden, for logs. */
    @Override
    public String toString() {
        List<OutputTarget> shown = targets.isEmpty() ? safePlan() : targets;
        return shown.stream().map(OutputTarget::shown).collect(Collectors.joining(", "));
    }

    private List<OutputTarget> safePlan() {
        try {
            return plan(config);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
