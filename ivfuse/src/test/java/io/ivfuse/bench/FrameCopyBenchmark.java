package io.ivfuse.bench;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.job.Natives;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.IrRegistrar;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.source.Decoding;
import io.ivfuse.source.InfraredDecoding;
import io.ivfuse.source.InputFrame;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.LumaRange;
import io.ivfuse.source.VideoSource;
import io.ivfuse.source.VisibleDecoding;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time per frame pair of each step of the path a frame takes in {@code ivfuse run}, one step
 * after the other on one thread: each input decoded and written into its queue slot (the input
 * reader's work), the ring slot filled from the two queue slots (pairing's copies, as
 * {@code FusionPipeline} makes them), registration (identity at equal sizes), fusion
 * ({@code average}) with the fused luma back to video range (the fusion stage's work), and the
 * encoder. Each step is timed with this thread's CPU clock; "all threads" adds the decoders' and
 * encoder's own threads. Medians over the repeats; each repeat reopens the inputs and decodes
 * WARMUP frames before it measures FRAMES.
 *
 * <p>It uses only API that the main branch has as well, so the same class runs against either
 * build's classes, interleaved ({@code benchmarks/frame-copy.sh}; results in
 * {@code benchmarks/zero-copy.md}):
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.ivfuse.bench.FrameCopyBenchmark \
 *     VIS IR [FRAMES=600] [REPEATS=5] [CODEC=mpeg4] [WARMUP=100]
 * </pre>
 */
public final class FrameCopyBenchmark {
    private static final String[] STEPS = {"visible decode + slot", "IR decode + slot", "ring fill", "register",
        "fuse + video range", "encode"};
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private FrameCopyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String vis = args[0];
        String ir = args[1];
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String codec = args.length > 4 ? args[4] : "mpeg4";
        int warmUp = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        Natives.fusionRun();
        double[][] perStep = new double[STEPS.length][repeats];
        double[] allThreads = new double[repeats];
        double[] wall = new double[repeats];
        Path out = Files.createTempDirectory("ivfuse-framecopy");
        for (int r = 0; r < repeats; r++) {
            double[] result = repeat(vis, ir, frames, warmUp, codec, out.resolve("out" + r + ".mkv"));
            for (int s = 0; s < STEPS.length; s++) {
                perStep[s][r] = result[s];
            }
            allThreads[r] = result[STEPS.length];
            wall[r] = result[STEPS.length + 1];
            Files.deleteIfExists(out.resolve("out" + r + ".mkv"));
        }
        Files.deleteIfExists(out);
        System.out.printf(Locale.ROOT, "classes: %s; %d frames x %d repeats, codec %s; us per frame pair, median (min-max)%n",
                VideoSource.class.getProtectionDomain().getCodeSource().getLocation().getPath(), frames, repeats, codec);
        double copySteps = 0;
        for (int s = 0; s < STEPS.length; s++) {
            print(STEPS[s], perStep[s]);
            if (s < STEPS.length - 1) {
                copySteps += median(perStep[s]);
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %9.1f%n", "steps before encode (sum)", copySteps);
        print("all threads, whole loop", allThreads);
        print("wall, whole loop", wall);
        System.exit(0);
    }

    /** One repeat: returns us per frame of each step, then of all threads' CPU, then wall time. */
    private static double[] repeat(String visLocation, String irLocation, int frames, int warmUp, String codec, Path out) {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        Decoding visDecoding = new VisibleDecoding();
        Decoding irDecoding = new InfraredDecoding(new IvfuseConfig.Gray16());
        try (VideoSource vis = visDecoding.open(InputKinds.plan("visible", InputSpec.of(visLocation), live), 0, 0);
             VideoSource ir = irDecoding.open(InputKinds.plan("IR", InputSpec.of(irLocation), live), 0, 0);
             Decoding.Copier visCopier = visDecoding.copier(vis);
             Decoding.Copier irCopier = irDecoding.copier(ir)) {
            FrameGeometry g = new FrameGeometry(vis.width(), vis.height(), ir.width(), ir.height());
            InputFrame visSlot = visDecoding.newFrame(g.width(), g.height());
            InputFrame irSlot = irDecoding.newFrame(g.irWidth(), g.irHeight());
            FrameEvent event = new FrameEvent(g);
            double fps = vis.frameRate() > 0 ? vis.frameRate() : 30;
            try (IrRegistrar registrar = new IrRegistrar(new FrameSize(g.irWidth(), g.irHeight()),
                         new FrameSize(g.width(), g.height()), Calibration.identity());
                 FusionEngine engine = FusionEngines.create("average", EngineOptions.defaults());
                 FusionSession session = engine.openSession(g.width(), g.height());
                 LumaRange range = new LumaRange();
                 VideoEncoder encoder = VideoEncoder.open(out, g.width(), g.height(), fps, new EncoderSettings(codec, 0, null, false))) {
                long[] step = new long[STEPS.length];
                long cpu0 = 0;
                long wall0 = 0;
                for (int i = 0; i < warmUp + frames; i++) {
                    if (i == warmUp) {
                        Arrays.fill(step, 0);
                        cpu0 = allThreadsCpu();
                        wall0 = System.nanoTime();
                    }
                    long t0 = CPU.getCurrentThreadCpuTime();
                    if (!vis.grab()) {
                        throw new IllegalStateException(visLocation + " ended at frame " + i + "; give fewer frames");
                    }
                    visCopier.copy(vis, visSlot);
                    long t1 = CPU.getCurrentThreadCpuTime();
                    if (!ir.grab()) {
                        throw new IllegalStateException(irLocation + " ended at frame " + i + "; give fewer frames");
                    }
                    irCopier.copy(ir, irSlot);
                    long t2 = CPU.getCurrentThreadCpuTime();
                    fill(event, visSlot, irSlot, g);
                    long t3 = CPU.getCurrentThreadCpuTime();
                    registrar.warp(event.infrared, event.registered);
                    long t4 = CPU.getCurrentThreadCpuTime();
                    session.fuse(event.visibleY, event.registered, event.fusedY);
                    range.toLimited(event.fusedY, event.outputY);
                    long t5 = CPU.getCurrentThreadCpuTime();
                    encoder.write(event.output, vis.timestampUs());
                    long t6 = CPU.getCurrentThreadCpuTime();
                    step[0] += t1 - t0;
                    step[1] += t2 - t1;
                    step[2] += t3 - t2;
                    step[3] += t4 - t3;
                    step[4] += t5 - t4;
                    step[5] += t6 - t5;
                }
                long wallNanos = System.nanoTime() - wall0;
                long cpuNanos = allThreadsCpu() - cpu0;
                double[] result = new double[STEPS.length + 2];
                for (int s = 0; s < STEPS.length; s++) {
                    result[s] = step[s] / 1e3 / frames;
                }
                result[STEPS.length] = cpuNanos / 1e3 / frames;
                result[STEPS.length + 1] = wallNanos / 1e3 / frames;
                return result;
            }
        }
    }

    /** The copies FusionPipeline's publisher makes into a ring slot for a paired frame. */
    private static void fill(FrameEvent e, InputFrame vis, InputFrame ir, FrameGeometry g) {
        e.visibleY.copyFrom(vis.plane());
        e.output.put(g.chromaOffset(), vis.chroma(), 0, vis.chroma().capacity());
        e.infrared.copyFrom(ir.plane());
    }

    /** CPU time of every live thread of this process, in ns (threads that end meanwhile drop out). */
    private static long allThreadsCpu() {
        long sum = 0;
        for (long id : CPU.getAllThreadIds()) {
            long t = CPU.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static void print(String name, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        System.out.printf(Locale.ROOT, "%-28s %9.1f  (%.1f-%.1f)%n", name, median(values), v[0], v[v.length - 1]);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
