package io.ivfuse.bench;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.ivfuse.cli.Main;
import io.ivfuse.job.Natives;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.RtspTestServer;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Glass-to-glass latency of a live run (benchmarks/live.md): a GStreamer RTSP server plays two
 * 640x480 30 fps cameras whose visible frames carry their frame number in the pixels; ivfuse fuses
 * them into a UDP MPEG-TS output while, in the same run, an FFmpeg relay (decode and re-encode with
 * the same encoder, libopenh264) sends the visible stream to another UDP port. One receiver per
 * port decodes each stream as it arrives and reads the stamped numbers, so every frame's arrival
 * is matched across the two paths. Reported: ivfuse minus relay per frame (the latency ivfuse
 * adds), and each path from the frame's scheduled time at the server (server start + n / 30 s).
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ivfuse.bench.LiveLatencyBenchmark [SECONDS=30] [ENGINE=average]...
 * </pre>
 */
public final class LiveLatencyBenchmark {
    static final int W = 640;
    static final int H = 480;
    static final int FPS = 30;

    private LiveLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Natives.ffmpeg();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<String> engines = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("average");
        Path work = Files.createDirectories(Path.of("target", "bench-live"));
        int frames = (seconds + 15) * FPS;
        Path vis = work.resolve("stamped-vis-" + frames + ".mkv");
        Path ir = work.resolve("stamped2-ir-" + frames + ".mkv");
        // Both cameras carry the frame number: frames taken together are fused together (both
        // mounts start with the server), so the fused frame shows the same number.
        if (!Files.exists(vis)) {
            TestVideos.writeStampedH264Mkv(vis, W, H, FPS, frames);
        }
        if (!Files.exists(ir)) {
            TestVideos.writeH264Mkv(ir, W, H, FPS, frames, TestVideos.stamped(W, H, (i, x, y) -> 255 - TestVideos.gradient(i, y, x)));
        }
        System.out.printf("latency: %d s per engine, %dx%d at %d fps, %d cores, load %s%n", seconds, W, H, FPS,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println();
        System.out.println("| engine | frames matched | ivfuse - relay p50 / p99 (ms) | relay from server p50 / p99 (ms) | ivfuse from server p50 / p99 (ms) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (String engine : engines) {
            measure(work, vis, ir, engine, seconds);
        }
    }

    private static void measure(Path work, Path vis, Path ir, String engine, int seconds) throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", vis, "ir", ir), null, false)) {
            long serverStart = server.readyNanos();
            int relayPort = freeUdpPort();
            int ivfusePort = freeUdpPort();
            Receiver relayIn = new Receiver(relayPort);
            Receiver ivfuseIn = new Receiver(ivfusePort);
            relayIn.start();
            ivfuseIn.start();
            Process relay = FfmpegCli.start(work.resolve("relay.log"), "-rtsp_transport", "tcp", "-fflags", "nobuffer",
                    "-flags", "low_delay", "-i", server.url("vis"), "-an", "-c:v", "libopenh264", "-g", String.valueOf(FPS),
                    "-bf", "0", "-b:v", "4M", "-f", "mpegts", "-flush_packets", "1",
                    "udp://127.0.0.1:" + relayPort + "?pkt_size=1316");
            Process ivfuse = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                    "--vis", server.url("vis"), "--ir", server.url("ir"), "--engine", engine, "--progress", "off",
                    "-o", "udp://127.0.0.1:" + ivfusePort + "?pkt_size=1316")
                    .redirectErrorStream(true).redirectOutput(work.resolve("ivfuse-" + engine + ".log").toFile()).start();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds + 5));
            ivfuse.destroy();
            relay.destroy();
            ivfuse.waitFor(20, TimeUnit.SECONDS);
            relay.waitFor(20, TimeUnit.SECONDS);
            relayIn.stop();
            ivfuseIn.stop();

            List<Double> added = new ArrayList<>();
            List<Double> relayAbs = new ArrayList<>();
            List<Double> ivfuseAbs = new ArrayList<>();
            // The first 5 s are start-up (connects, keyframes): measure the steady state after it.
            for (Map.Entry<Integer, Long> e : ivfuseIn.arrivals.entrySet()) {
                int n = e.getKey();
                Long viaRelay = relayIn.arrivals.get(n);
                long scheduled = serverStart + Math.round(n * 1e9 / FPS);
                if (viaRelay == null || n < 5 * FPS) {
                    continue;
                }
                added.add((e.getValue() - viaRelay) / 1e6);
                relayAbs.add((viaRelay - scheduled) / 1e6);
                ivfuseAbs.add((e.getValue() - scheduled) / 1e6);
            }
            System.out.printf("| %s | %d | %s | %s | %s |%n", engine, added.size(), p50p99(added), p50p99(relayAbs), p50p99(ivfuseAbs));
        }
    }

    static String p50p99(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%.1f / %.1f", a[a.length / 2], a[Math.min(a.length - 1, (int) Math.floor(a.length * 0.99))]);
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Listens on a UDP port, decodes the MPEG-TS stream and records when each stamped frame number first arrived. */
    static final class Receiver implements Runnable {
        final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        private final int port;
        private final Thread thread;
        private volatile boolean stop;

        Receiver(int port) {
            this.port = port;
            this.thread = new Thread(this, "receiver-" + port);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(15_000);
        }

        @Override
        public void run() {
            while (!stop) {
                try (FFmpegFrameGrabber g = new FFmpegFrameGrabber("udp://127.0.0.1:" + port + "?timeout=2000000&fifo_size=1000000&overrun_nonfatal=1")) {
                    g.setFormat("mpegts");
                    g.setOption("fflags", "nobuffer");
                    g.setOption("flags", "low_delay");
                    g.setOption("probesize", "32768");
                    g.setOption("analyzeduration", "0");
                    g.setPixelFormat(AV_PIX_FMT_GRAY8);
                    g.startUnsafe();
                    byte[] luma = new byte[W * H];
                    Frame f;
                    while (!stop && (f = g.grabImage()) != null) {
                        long now = System.nanoTime();
                        ByteBuffer b = (ByteBuffer) f.image[0];
                        for (int y = 0; y < H; y++) {
                            b.get(y * f.imageStride, luma, y * W, W);
                        }
                        int n = TestVideos.readStampedFrameNumber(luma, W, H);
                        if (n >= 0) {
                            arrivals.putIfAbsent(n, now);
                        }
                    }
                    g.releaseUnsafe();
                } catch (Exception e) {
                    // nothing sent yet (timeout) or the sender went away: listen again
                }
            }
        }
    }
}
