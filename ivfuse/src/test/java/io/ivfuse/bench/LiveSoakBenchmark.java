package io.ivfuse.bench;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.FusionJob;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.RtspTestServer;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Soak and recovery of a live run (benchmarks/live.md): two RTSP cameras (one GStreamer server
 * each, so one can be frozen alone) serving the M3SVD clips looped at 640x480, 30 fps; ivfuse
 * fuses them for MINUTES minutes while the servers are restarted three times and the IR one is
 * frozen for 15 s (SIGSTOP). Reports each fault's recovery time, and RSS, threads and file
 * descriptors at minute 1 and at the end, and before start and after stop.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ivfuse.bench.LiveSoakBenchmark [MINUTES=10] [ENGINE=auto]
 * </pre>
 */
public final class LiveSoakBenchmark {
    private LiveSoakBenchmark() {
    }

    record Sample(String when, long rssKb, long threads, long fds, java.util.Set<String> threadNames) {
        static Sample now(String when) throws IOException {
            java.util.Set<String> names = new java.util.TreeSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
            long rss = 0;
            long threads = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new Sample(when, rss, threads, fds.count(), names);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of("target", "bench-live"));
        Path vis = camera(work, "vis");
        Path ir = camera(work, "ir");
        if (args.length > 0 && args[0].equals("--clips-only")) {
            return; // benchmarks/live-keepup.sh uses the same camera clips
        }
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        String engine = args.length > 1 ? args[1] : "auto";
        System.out.printf("soak: %.1f min, engine %s, %d cores, load %s%n", minutes, engine,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        try (RtspTestServer visServer = RtspTestServer.start(Map.of("vis", vis), null);
             RtspTestServer irServer = RtspTestServer.start(Map.of("ir", ir), null)) {
            IvfuseConfig c = new IvfuseConfig();
            c.input.vis = InputSpec.of(visServer.url("vis"));
            c.input.ir = InputSpec.of(irServer.url("ir"));
            c.fusion.engine = engine;
            c.output.path = work.resolve("soak.mkv").toString();
            c.metrics.progress = "off";
            List<Sample> samples = new ArrayList<>();
            samples.add(Sample.now("before start"));
            StringWriter log = new StringWriter();
            FusionJob job = new FusionJob(c, new PrintWriter(log, true));
            long start = System.nanoTime();
            CompletableFuture<RunSummary> result = CompletableFuture.supplyAsync(job::run);
            Deadline.within(60, TimeUnit.SECONDS).until("the job runs", () -> job.metrics() != null);
            PipelineMetrics m = job.metrics();
            long total = (long) (minutes * 60e9);
            List<String> faults = new ArrayList<>();
            waitUntil(start, total / 10);
            samples.add(Sample.now("minute " + Math.round(minutes / 10 * 10) / 10.0));
            waitUntil(start, total * 2 / 10);
            faults.add(restart("visible server restarted after 3 s down", visServer, m, 3));
            waitUntil(start, total * 4 / 10);
            faults.add(restart("IR server restarted after 3 s down", irServer, m, 3));
            waitUntil(start, total * 6 / 10);
            faults.add(stall(irServer, m));
            waitUntil(start, total * 8 / 10);
            faults.add(restart("visible server restarted after 10 s down", visServer, m, 10));
            waitUntil(start, total);
            samples.add(Sample.now("end (minute " + minutes + ")"));
            job.requestStop();
            RunSummary s = result.get(60, TimeUnit.SECONDS);
            samples.add(Sample.now("after stop"));

            System.out.println();
            System.out.printf("frames out %d in %.0f s (%.1f fps); visible-only %d; dropped by backpressure %d; inputs %s%n",
                    s.framesOut, s.seconds, s.fps, s.visibleOnly, s.droppedBackpressure, s.inputs);
            System.out.printf("latency p50 %.1f ms, p99 %.1f ms%n", s.stagesMs.get("latency").get("p50"),
                    s.stagesMs.get("latency").get("p99"));
            System.out.println();
            System.out.println("| fault | recovery |");
            System.out.println("|---|---|");
            faults.forEach(System.out::println);
            System.out.println();
            System.out.println("| when | RSS (MiB) | threads | file descriptors |");
            System.out.println("|---|---:|---:|---:|");
            for (Sample x : samples) {
                System.out.printf("| %s | %.1f | %d | %d |%n", x.when, x.rssKb / 1024.0, x.threads, x.fds);
            }
            java.util.Set<String> left = new java.util.TreeSet<>(samples.get(samples.size() - 1).threadNames());
            left.removeAll(samples.get(0).threadNames());
            System.out.println();
            // The test servers' own helper threads (process reapers, log readers) start with each restart.
            left.removeIf(n -> n.startsWith("process reaper") || n.startsWith("rtsp-test-server"));
            System.out.println("ivfuse threads after stop that were not there before start: " + left);
        }
    }

    /** A camera clip: the M3SVD clip as H.264 Matroska with a 1 s GOP (the server loops it). */
    static Path camera(Path work, String role) {
        Path out = work.resolve(role + ".mkv");
        if (!Files.exists(out)) {
            Path clip = SharedFiles.ROOT.resolve("data/m3svd/video/" + role + "/0113_1714.mp4");
            FfmpegCli.Result r = FfmpegCli.run(600, "-v", "error", "-y", "-i", clip.toString(), "-an", "-c:v", "libopenh264",
                    "-g", "30", "-bf", "0", "-b:v", "2M", out.toString());
            if (r.exitCode() != 0) {
                throw new IllegalStateException(r.output());
            }
        }
        return out;
    }

    private static void waitUntil(long start, long offsetNanos) {
        long left;
        while ((left = start + offsetNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, 1_000_000_000L));
        }
    }

    /** Fused frames so far: frames out minus those written without IR. */
    private static long fused(PipelineMetrics m) {
        return m.framesOut.getCount() - m.visibleOnly.getCount();
    }

    private static String restart(String what, RtspTestServer server, PipelineMetrics m, int downSeconds) {
        server.kill();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(downSeconds));
        server.restart();
        long up = System.nanoTime();
        long before = fused(m);
        Deadline.within(90, TimeUnit.SECONDS).until("recovered: " + what,
                () -> m.vis.online() && m.ir.online() && fused(m) > before);
        return String.format("| %s | first fused frame %.2f s after the server was back |", what, (System.nanoTime() - up) / 1e9);
    }

    private static String stall(RtspTestServer server, PipelineMetrics m) {
        long stalls = m.ir.stalls.getCount();
        server.pause();
        long frozen = System.nanoTime();
        Deadline.within(30, TimeUnit.SECONDS).until("stall detected", () -> m.ir.stalls.getCount() > stalls);
        double detected = (System.nanoTime() - frozen) / 1e9;
        LockSupport.parkNanos(Math.max(0, frozen + TimeUnit.SECONDS.toNanos(15) - System.nanoTime()));
        server.resume();
        long resumed = System.nanoTime();
        long before = fused(m);
        Deadline.within(90, TimeUnit.SECONDS).until("recovered from the stall", () -> m.ir.online() && fused(m) > before);
        return String.format("| IR server frozen 15 s (SIGSTOP) | detected after %.2f s; first fused frame %.2f s after SIGCONT |",
                detected, (System.nanoTime() - resumed) / 1e9);
    }
}
