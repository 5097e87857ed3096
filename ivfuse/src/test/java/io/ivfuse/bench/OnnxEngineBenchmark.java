package io.ivfuse.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngine;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * ms per frame of a model through the onnxruntime engine versus a bare {@code OrtSession.run} on
 * tensors of the same (padded) shape with the same session options, interleaved frame by frame so
 * that load from other processes hits both alike. Run by hand:
 *
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.ivfuse.bench.OnnxEngineBenchmark sage-s.onnx [threads] [frames]
 * </pre>
 */
public final class OnnxEngineBenchmark {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.printf("model %s, intra-op threads %s, %d frames per size, %d CPUs%n", model,
                threads == 0 ? "default" : threads, frames, Runtime.getRuntime().availableProcessors());
        try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.open(new EngineOptions(model, threads, Map.of()))) {
            for (int[] wh : new int[][] {{640, 480}, {1280, 1024}}) {
                measure(engine, Files.readAllBytes(model), threads, wh[0], wh[1], frames);
            }
        }
    }

    private static void measure(OnnxRuntimeEngine engine, byte[] model, int threads, int w, int h, int frames)
            throws Exception {
        ModelConvention c = engine.convention();
        Plane vis = random(w, h, 1);
        Plane ir = random(w, h, 2);
        Plane out = Plane.allocate(w, h);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, 1, c.padded(h), c.padded(w)};
        int n = c.padded(h) * c.padded(w);
        try (FusionSession session = engine.openSession(w, h);
             OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setInterOpNumThreads(1);
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            try (OrtSession bare = env.createSession(model, so);
                 OnnxTensor a = OnnxTensor.createTensor(env, floats(n, 3), shape);
                 OnnxTensor b = OnnxTensor.createTensor(env, floats(n, 4), shape);
                 OnnxTensor o = OnnxTensor.createTensor(env, floats(n, 0), shape)) {
                Map<String, OnnxTensor> in = Map.of(c.visibleInput(), a, c.infraredInput(), b);
                Map<String, OnnxTensor> pinned = Map.of(c.output() == null ? "fused" : c.output(), o);
                session.fuse(vis, ir, out); // warm-up
                bare.run(in, pinned).close();
                double[] engineMs = new double[frames];
                double[] bareMs = new double[frames];
                for (int i = 0; i < frames; i++) {
                    long t0 = System.nanoTime();
                    session.fuse(vis, ir, out);
                    long t1 = System.nanoTime();
                    bare.run(in, pinned).close();
                    long t2 = System.nanoTime();
                    engineMs[i] = (t1 - t0) / 1e6;
                    bareMs[i] = (t2 - t1) / 1e6;
                }
                var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long before = mx.getCurrentThreadAllocatedBytes();
                session.fuse(vis, ir, out);
                long engineBytes = mx.getCurrentThreadAllocatedBytes() - before;
                before = mx.getCurrentThreadAllocatedBytes();
                bare.run(in, pinned).close();
                long bareBytes = mx.getCurrentThreadAllocatedBytes() - before;
                System.out.printf("%dx%d: Java heap allocated per frame: engine %d bytes, bare run %d bytes%n",
                        w, h, engineBytes, bareBytes);
                double e = median(engineMs);
                double r = median(bareMs);
                System.out.printf("%dx%d: engine %.1f ms/frame (%.2f fps), bare OrtSession.run %.1f ms, overhead %+.1f%%%n",
                        w, h, e, 1000 / e, r, 100 * (e - r) / r);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static Plane random(int w, int h, long seed) {
        Plane p = Plane.allocate(w, h);
        byte[] px = new byte[w * h];
        new Random(seed).nextBytes(px);
        p.fill(px);
        return p;
    }

    private static FloatBuffer floats(int n, long seed) {
        FloatBuffer f = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            f.put(i, r.nextFloat());
        }
        return f;
    }
}
