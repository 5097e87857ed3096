package io.ivfuse.serve;

import com.codahale.metrics.Timer;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.sink.OutputMetrics;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code /metrics} scrape costs the service: CPU time of {@link ServiceMetrics#writePrometheus}
 * (Dropwizard snapshots through the Prometheus bridge into the text format) with N pairs whose every
 * timer and histogram holds a full window of samples, as in a running service. Median of 200 scrapes
 * after 100 of warm-up, for N = 1, 4, 16.
 * Run: java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ivfuse.serve.ScrapeCostBenchmark
 */
public final class ScrapeCostBenchmark {
    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%d cores, load %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| pairs | series | bytes | CPU ms per scrape (median) | at 10 scrapes/s: share of one core |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int n : new int[] {1, 4, 16}) {
            try (ServiceMetrics metrics = new ServiceMetrics()) {
                for (int p = 0; p < n; p++) {
                    PipelineMetrics m = new PipelineMetrics();
                    for (Timer t : m.stages().values()) {
                        for (int i = 0; i < PipelineMetrics.WINDOW; i++) {
                            t.update(1_000_000 + i, TimeUnit.NANOSECONDS);
                        }
                    }
                    for (int i = 0; i < PipelineMetrics.WINDOW; i++) {
                        m.skew.update(i);
                    }
                    m.registerRingOccupancy(() -> 3);
                    for (String name : new String[] {OutputMetrics.FRAMES, OutputMetrics.DROPPED, OutputMetrics.RECONNECTS}) {
                        m.registry.counter(OutputMetrics.name("o0", name));
                    }
                    metrics.attach("pair-" + p, m);
                }
                long[] cpu = new long[300];
                int bytes = 0;
                for (int i = 0; i < cpu.length; i++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
                    long t0 = threads.getCurrentThreadCpuTime();
                    metrics.writePrometheus(out);
                    cpu[i] = threads.getCurrentThreadCpuTime() - t0;
                    bytes = out.size();
                }
                long[] measured = Arrays.copyOfRange(cpu, 100, cpu.length);
                Arrays.sort(measured);
                double ms = measured[measured.length / 2] / 1e6;
                int series = metrics.scrape().stream().mapToInt(s -> s.getDataPoints().size()).sum();
                System.out.printf("| %d | %d | %d | %.2f | %.1f%% |%n", n, series, bytes, ms, ms * 10 / 10);
            }
        }
    }
}
