package io.ivfuse.bench;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.FusionJob;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.RtspTestServer;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes allocated per output frame by each thread of a real run, between two points after warm-up.
 *
 * <pre>
 * java -cp ... io.ivfuse.bench.FrameAllocationBenchmark VIS|--live IR|- OUT [ENGINE=average] [WARMUP_S=10] [MEASURE_S=20]
 * </pre>
 */
public final class FrameAllocationBenchmark {
    private FrameAllocationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--live")) {
            // The live-soak cameras (LiveSoakBenchmark --clips-only) served over RTSP.
            Path work = Path.of("target", "bench-live");
            try (RtspTestServer server = RtspTestServer.start(Map.of("vis", LiveSoakBenchmark.camera(work, "vis"),
                    "ir", LiveSoakBenchmark.camera(work, "ir")), null)) {
                String[] rest = args.clone();
                rest[0] = server.url("vis");
                rest[1] = server.url("ir");
                measure(rest);
            }
        } else {
            measure(args);
        }
        System.exit(0);
    }

    private static void measure(String[] args) throws Exception {
        IvfuseConfig c = new IvfuseConfig();
        c.input.vis = InputSpec.of(args[0]);
        c.input.ir = InputSpec.of(args[1]);
        c.output.path = args[2];
        c.fusion.engine = args.length > 3 ? args[3] : "average";
        long warm = args.length > 4 ? Long.parseLong(args[4]) : 10;
        long measure = args.length > 5 ? Long.parseLong(args[5]) : 20;
        c.metrics.progress = "off";
        FusionJob job = new FusionJob(c, new PrintWriter(System.out, true));
        CompletableFuture<RunSummary> result = CompletableFuture.supplyAsync(job::run);
        Deadline.within(60, TimeUnit.SECONDS).until("the job runs", () -> job.metrics() != null);
        PipelineMetrics m = job.metrics();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warm));
        Map<String, Long> first = snapshot();
        long f0 = m.framesOut.getCount();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(measure));
        Map<String, Long> last = snapshot();
        long frames = m.framesOut.getCount() - f0;
        System.out.printf("%d frames measured%n", frames);
        long total = 0;
        for (Map.Entry<String, Long> e : last.entrySet()) {
            Long before = first.get(e.getKey());
            if (before != null) {
                long d = e.getValue() - before;
                total += d;
                if (d > 0) {
                    System.out.printf("%10.1f B/frame  %s%n", d / (double) frames, e.getKey());
                }
            }
        }
        System.out.printf("%10.1f B/frame  total%n", total / (double) frames);
        job.requestStop();
        result.get(120, TimeUnit.SECONDS);
    }

    private static Map<String, Long> snapshot() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Long> into = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            into.put(t.getName() + "#" + t.getId(), mx.getThreadAllocatedBytes(t.getId()));
        }
        return into;
    }
}
