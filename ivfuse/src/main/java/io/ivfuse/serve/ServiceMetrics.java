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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** A bridge per series group (see {@link #group}), made when the group first appears. */
    private final Map<String, DropwizardExports> exports = new LinkedHashMap<>();
    private static final Pattern LABELLED_GROUP =
            Pattern.compile("(pair\\.[^.]+\\.ivfuse\\.(?:input|output)\\.[^.]+\\.)[^.]+");
    private static final Pattern PAIR_GROUP = Pattern.compile("(pair\\.[^.]+\\.).+");
    private final CustomLabelMapper pairLabels = new CustomLabelMapper(List.of(
            // The pipeline's fused-frame meter sits beside the per-output meters: a name of its own
            // (the bridge maps a meter by its name with "_total").
            new MapperConfig("pair.*.ivfuse.output.frames_total", "ivfuse_fused_frames", Map.of("pair", "${0}")),
            new MapperConfig("pair.*.ivfuse.input.*.*", "ivfuse_input_${2}", Map.of("pair", "${0}", "input", "${1}")),
            new MapperConfig("pair.*.ivfuse.output.*.*", "ivfuse_output_${2}", Map.of("pair", "${0}", "output", "${1}")),
            new MapperConfig("pair.*.ivfuse.*.*", "ivfuse_${1}_${2}", Map.of("pair", "${0}")),
            new MapperConfig("pair.*.ivfuse.*", "ivfuse_${1}", Map.of("pair", "${0}"))));
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final JmxReporter jmx;
    /** How long one rendering of /metrics answers every scrape. */
    static final long SCRAPE_REUSE_MS = 1000;
    private byte[] lastText;
    private long lastTextNanos;

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
        lastText = null; // the set of series changed: the next scrape shows it
    }

    /** Withdraws a finished run's metrics; the pair's own (restarts, state) stay. */
    synchronized void detach(String id, PipelineMetrics run) {
        for (String name : run.registry.getNames()) {
            registry.remove(pairName(id, name));
        }
        lastText = null;
    }

    /** Withdraws everything of a removed pair. */
    synchronized void remove(String id) {
        registry.removeMatching(MetricFilter.startsWith(PAIR_PREFIX + id + "."));
        lastText = null;
    }

    /**
     * The Prometheus text exposition of every metric, made at most once per {@link #SCRAPE_REUSE_MS}:
     * a scrape costs about 1 ms of CPU per pair (each timer's window of samples is sorted for its
     * quantiles), so scrapers polling faster than that (10 a second, several Prometheus servers)
     * share one rendering instead of taking CPU from fusion. benchmarks/serve.md, "Scraping cost".
     */
    synchronized byte[] prometheusText() throws IOException {
        long now = System.nanoTime();
        if (lastText == null || now - lastTextNanos >= TimeUnit.MILLISECONDS.toNanos(SCRAPE_REUSE_MS)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64 * 1024, lastText == null ? 0 : lastText.length + 4096));
            writePrometheus(out);
            lastText = out.toByteArray();
            lastTextNanos = now;
        }
        return lastText;
    }

    /** Writes the Prometheus text exposition of every metric, now. */
    void writePrometheus(OutputStream out) throws IOException {
        text.write(out, scrape(), EscapingScheme.DEFAULT);
    }

    /**
     * The bridge makes one Prometheus family per Dropwizard metric and refuses two of one name, so
     * the series that share a name (the same metric of each pair, each input, each output) come
     * from bridges of their own, one per group of metrics with the same labels, and are merged here
     * into one family per name with a series per label set.
     */
    MetricSnapshots scrape() {
        List<MultiCollector> collectors = new ArrayList<>();
        synchronized (this) {
            Set<String> present = new HashSet<>();
            registry.getNames().forEach(name -> present.add(groupOf(name)));
            exports.keySet().retainAll(present);
            groups.keySet().retainAll(registry.getNames());
            for (String g : present) {
                collectors.add(exports.computeIfAbsent(g, k -> new DropwizardExports(registry,
                        (name, metric) -> groupOf(name).equals(k), pairLabels)));
            }
        }
        Map<String, List<MetricSnapshot>> byName = new TreeMap<>();
        for (MultiCollector c : collectors) {
            for (MetricSnapshot s : c.collect()) {
                byName.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new ArrayList<>()).add(s);
            }
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        byName.values().forEach(family -> all.metricSnapshot(merge(family)));
        return all.build();
    }

    /**
     * The metrics whose Prometheus series have the same labels: {@code pair.<id>.ivfuse.input.<role>.},
     * {@code pair.<id>.ivfuse.output.<output>.}, the pair's other metrics {@code pair.<id>.}, and the
     * service's own ("").
     */
    private final Map<String, String> groups = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@link #group(String)}, remembered: every bridge asks about every metric at every scrape. */
    private String groupOf(String name) {
        return groups.computeIfAbsent(name, ServiceMetrics::group);
    }

    static String group(String name) {
        Matcher m = LABELLED_GROUP.matcher(name);
        if (m.matches()) {
            return m.group(1);
        }
        m = PAIR_GROUP.matcher(name);
        return m.matches() ? m.group(1) : "";
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
