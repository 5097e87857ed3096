package io.ivfuse.serve;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Snapshot;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.sink.OutputMetrics;
import io.ivfuse.sink.OutputSet;
import io.ivfuse.util.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pair as the control API shows it (snake_case JSON; the contract with the status page). No credentials. */
public final class PairStatus {
    public String id;
    public String state;
    public String reason;
    public String engine;
    /** Fused frames a second (one-minute moving average). */
    public double fps;
    public Map<String, Double> inputFps = new LinkedHashMap<>();
    public Map<String, Double> latencyMs = new LinkedHashMap<>();
    public Map<String, Long> drops = new LinkedHashMap<>();
    public long restarts;
    /** Fused frames since the pair's run (re)started. */
    public long frames;
    public List<String> outputs = new ArrayList<>();

    static PairStatus of(Pair pair) {
        PairStatus s = new PairStatus();
        s.id = pair.id();
        Pair.State state = pair.state();
        s.state = state.label;
        s.reason = pair.reason();
        s.engine = pair.engine();
        s.restarts = pair.restarts();
        PipelineMetrics m = pair.metrics();
        s.inputFps.put("ir", m == null ? 0 : round(m.ir.frames.getOneMinuteRate()));
        s.inputFps.put("vis", m == null ? 0 : round(m.vis.frames.getOneMinuteRate()));
        Snapshot latency = m == null ? null : m.latency.getSnapshot();
        s.latencyMs.put("p50", latency == null ? 0 : round(latency.getMedian() / 1e6));
        s.latencyMs.put("p99", latency == null ? 0 : round(latency.get99thPercentile() / 1e6));
        s.fps = m == null ? 0 : round(m.framesOut.getOneMinuteRate());
        s.frames = m == null ? 0 : m.framesOut.getCount();
        s.drops.put("unpaired", m == null ? 0 : m.droppedUnpaired.getCount());
        s.drops.put("backpressure", m == null ? 0 : m.droppedBackpressure.getCount());
        s.drops.put("skipped", m == null ? 0 : m.skipped.getCount());
        s.drops.put("output", m == null ? 0 : outputDrops(m));
        OutputSet.entries(pair.spec.config()).values().forEach(e -> s.outputs.add(Redaction.redact(e.uri)));
        return s;
    }

    private static long outputDrops(PipelineMetrics m) {
        long sum = 0;
        for (Map.Entry<String, Counter> c : m.registry.getCounters(
                (name, metric) -> name.startsWith(OutputMetrics.PREFIX) && name.endsWith("." + OutputMetrics.DROPPED)).entrySet()) {
            sum += c.getValue().getCount();
        }
        return sum;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
