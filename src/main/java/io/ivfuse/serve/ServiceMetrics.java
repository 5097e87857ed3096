package io.ivfuse.serve;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.jmx.ObjectNameFactory;
import io.ivfuse.metrics.PipelineMetrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The service's one Dropwizard registry: each pair's run metrics under {@code pair.<id>.} (its
 * {@link PipelineMetrics} registry attached as a child, so metrics a run adds later appear too),
 * the service's own under {@code ivfuse.serve.}. Published as one JMX tree (domain {@code ivfuse},
 * key {@code pair=<id>}) and as Prometheus text through the client's Dropwizard bridge, whose label
 * mapper turns {@code pair.<id>.ivfuse.input.ir.frames} into {@code ivfuse_input_frames_total{pair="<id>",input="ir"}}.
 */
final class ServiceMetrics implements AutoCloseable {
    static final String PAIR_PREFIX = "pair.";
    static final String DOMAIN = "ivfuse";

    final MetricRegistry registry = new MetricRegistry();
    private final Map<String, DropwizardExports> pairExports = new LinkedHashMap<>();
    private final DropwizardExports serviceExports = new DropwizardExports(registry,
            (name, metric) -> !name.startsWith(PAIR_PREFIX));
    private final CustomLabelMapper pairLabels = new CustomLabelMapper(List.of(
            // The pipeline's fused-frame meter sits beside the per-output meters: a name of its own.
            new MapperConfig("pair.*.ivfuse.output.frames", "ivfuse_fused_frames", Map.of("pair", "${0}")),
            new MapperConfig("pair.*.ivfuse.input.*.*", "ivfuse_input_${2}", Map.of("pair", "${0}", "input", "${1}")),
            new MapperConfig("pair.*.ivfuse.output.*.*", "ivfuse_output_${2}", Map.of("pair", "${0}", "output", "${1}")),
            new MapperConfig("pair.*.ivfuse.*.*", "ivfuse_${1}_${2}", Map.of("pair", "${0}")),
            new MapperConfig("pair.*.ivfuse.*", "ivfuse_${1}", Map.of("pair", "${0}"))));
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final JmxReporter jmx;

    ServiceMetrics() {
        jmx = JmxReporter.forRegistry(registry).inDomain(DOMAIN).createsObjectNamesWith(new PairObjectNames()).build();
        jmx.start();
    }

    /** {@code pair.<id>.<name>}. */
    static String pairName(String id, String name) {
        return PAIR_PREFIX + id + "." + name;
    }

    /** Publishes a run's metrics as the pair's (a pair's first run, or the next after a restart). */
    synchronized void attach(String id, PipelineMetrics run) {
        registry.register(PAIR_PREFIX + id, run.registry);
        pairExports.computeIfAbsent(id, k -> new DropwizardExports(registry, MetricFilter.startsWith(PAIR_PREFIX + k + "."),
                pairLabels));
    }

    /** Withdraws a finished run's metrics; the pair's own (restarts, state) stay. */
    synchronized void detach(String id, PipelineMetrics run) {
        for (String name : run.registry.getNames()) {
            registry.remove(pairName(id, name));
        }
    }

    /** Withdraws everything of a removed pair. */
    synchronized void remove(String id) {
        registry.removeMatching(MetricFilter.startsWith(PAIR_PREFIX + id + "."));
        pairExports.remove(id);
    }

    /** Writes the Prometheus text exposition of every metric. */
    void writePrometheus(OutputStream out) throws IOException {
        text.write(out, scrape(), EscapingScheme.DEFAULT);
    }

    /**
     * One bridge per pair (the mapper gives every pair the same metric names), their series merged
     * by name: the exposition has one family per name with a series per pair.
     */
    MetricSnapshots scrape() {
        List<MultiCollector> collectors = new ArrayList<>();
        collectors.add(serviceExports);
        synchronized (this) {
            collectors.addAll(pairExports.values());
        }
        Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
        for (MultiCollector c : collectors) {
            for (MetricSnapshot s : c.collect()) {
                byName.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new ArrayList<>()).add(s);
            }
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        byName.values().forEach(family -> all.metricSnapshot(merge(family)));
        return all.build();
    }

    @SuppressWarnings("unchecked")
    private static MetricSnapshot merge(List<MetricSnapshot> family) {
        MetricSnapshot first = family.get(0);
        if (family.size() == 1) {
            return first;
        }
        List<DataPointSnapshot> points = new ArrayList<>();
        family.forEach(s -> points.addAll(s.getDataPoints()));
        if (first instanceof CounterSnapshot) {
            return new CounterSnapshot(first.getMetadata(), (List<CounterSnapshot.CounterDataPointSnapshot>) (List<?>) points);
        }
        if (first instanceof GaugeSnapshot) {
            return new GaugeSnapshot(first.getMetadata(), (List<GaugeSnapshot.GaugeDataPointSnapshot>) (List<?>) points);
        }
        if (first instanceof SummarySnapshot) {
            return new SummarySnapshot(first.getMetadata(), (List<SummarySnapshot.SummaryDataPointSnapshot>) (List<?>) points);
        }
        throw new IllegalStateException("the Dropwizard bridge made a " + first.getClass().getSimpleName()
                + " for " + first.getMetadata().getName());
    }

    @Override
    public void close() {
        jmx.stop();
    }

    /** {@code ivfuse:pair=<id>,name=<metric>,type=<kind>} for a pair's metric, {@code ivfuse:name=...,type=...} for the service's. */
    private static final class PairObjectNames implements ObjectNameFactory {
        @Override
        public ObjectName createName(String type, String domain, String name) {
            Hashtable<String, String> keys = new Hashtable<>();
            String metric = name;
            if (name.startsWith(PAIR_PREFIX)) {
                int dot = name.indexOf('.', PAIR_PREFIX.length());
                keys.put("pair", name.substring(PAIR_PREFIX.length(), dot));
                metric = name.substring(dot + 1);
            }
            keys.put("name", quoteIfNeeded(metric));
            keys.put("type", type);
            try {
                return new ObjectName(domain, keys);
            } catch (MalformedObjectNameException e) {
                throw new IllegalArgumentException("no JMX name for metric " + name, e);
            }
        }

        private static String quoteIfNeeded(String value) {
            return value.matches("[A-Za-z0-9_.-]+") ? value : ObjectName.quote(value);
        }
    }
}
