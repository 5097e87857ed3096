package io.ivfuse.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.quality.evaluation.PairSet;
import io.ivfuse.quality.metric.TemporalStability;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The real-time student {@code nano} next to sage-s, in one run: fusion-only frames per second at
 * 640x512 through the onnxruntime engine (median over frames, engines interleaved frame by frame
 * so that load from other processes hits both alike), and the temporal-stability figure on the
 * M3SVD frame sequences (../shared/data/m3svd/frames/<seq>/{ir,vis}), with the classical engines
 * for reference. Run by hand (see benchmarks/nano.md):
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.ivfuse.bench.NanoBenchmark sage-s.onnx [frames] [threads] [nano.onnx, default the embedded one]
 * </pre>
 */
public final class NanoBenchmark {
    public static void main(String[] args) throws Exception {
        Path sage = Path.of(args[0]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path nano = args.length > 3 ? Path.of(args[3]) : null; // a candidate; default: the embedded model
        Map<String, EngineOptions> engines = new LinkedHashMap<>();
        engines.put("nano", new EngineOptions(nano, threads, Map.of()));
        engines.put("sage-s", new EngineOptions(sage, threads, Map.of()));
        System.out.printf("%d CPUs, intra-op threads %s, %d frames at 640x512%n", Runtime.getRuntime().availableProcessors(),
                threads == 0 ? "default" : threads, frames);
        fusionOnly(engines, 640, 512, frames);
        Path seqs = SharedFiles.find("data/m3svd/frames");
        if (seqs != null) {
            Map<String, EngineOptions> all = new LinkedHashMap<>(engines);
            for (String c : List.of("average", "max", "laplacian")) {
                all.put(c, EngineOptions.defaults());
            }
            stability(all, seqs);
        }
    }

    private static void fusionOnly(Map<String, EngineOptions> engines, int w, int h, int frames) {
        Plane vis = random(w, h, 1);
        Plane ir = random(w, h, 2);
        Plane out = Plane.allocate(w, h);
        List<FusionEngine> open = new ArrayList<>();
        List<FusionSession> sessions = new ArrayList<>();
        try {
            for (var e : engines.entrySet()) {
                FusionEngine engine = FusionEngines.create("onnxruntime", e.getValue());
                open.add(engine);
                FusionSession s = engine.openSession(w, h);
                sessions.add(s);
                for (int i = 0; i < 5; i++) {
                    s.fuse(vis, ir, out); // warm-up
                }
            }
            int sageFrames = Math.max(5, frames / 20); // sage-s is ~150x costlier: fewer frames, same interleaving
            long[][] ns = new long[sessions.size()][frames];
            int[] counts = new int[sessions.size()];
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < sessions.size(); k++) {
                    if (k > 0 && f >= sageFrames) {
                        continue;
                    }
                    long t = System.nanoTime();
                    sessions.get(k).fuse(vis, ir, out);
                    ns[k][counts[k]++] = System.nanoTime() - t;
                }
            }
            int k = 0;
            for (String name : engines.keySet()) {
                long[] v = Arrays.copyOf(ns[k], counts[k]);
                Arrays.sort(v);
                double median = v[v.length / 2] / 1e6;
                System.out.printf("fusion only %-7s %dx%d: median %.2f ms/frame = %.1f frames/s (p90 %.2f ms, %d frames)%n",
                        name, w, h, median, 1000 / median, v[(int) (v.length * 0.9)] / 1e6, v.length);
                k++;
            }
        } finally {
            sessions.forEach(FusionSession::close);
            open.forEach(FusionEngine::close);
        }
    }

    private static void stability(Map<String, EngineOptions> engines, Path seqs) throws Exception {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(seqs)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (var e : engines.entrySet()) {
            String engineName = e.getKey().equals("nano") || e.getKey().equals("sage-s") ? "onnxruntime" : e.getKey();
            StringBuilder line = new StringBuilder();
            double sum = 0;
            long pairs = 0;
            try (FusionEngine engine = FusionEngines.create(engineName, e.getValue())) {
                for (Path dir : dirs) {
                    PairSet set = PairSet.scan(dir);
                    TemporalStability ts = new TemporalStability();
                    FusionSession session = null;
                    try {
                        for (PairSet.Pair p : set.pairs()) {
                            Plane[] vi = read(p);
                            if (session == null) {
                                session = engine.openSession(vi[0].width(), vi[0].height());
                            }
                            Plane fused = Plane.allocate(vi[0].width(), vi[0].height());
                            session.fuse(vi[0], vi[1], fused);
                            ts.accept(vi[1], vi[0], fused);
                        }
                    } finally {
                        if (session != null) {
                            session.close();
                        }
                    }
                    line.append(String.format("  %s %.4f", dir.getFileName(), ts.value()));
                    sum += ts.value() * (ts.frames() - 1);
                    pairs += ts.frames() - 1;
                }
            }
            System.out.printf("temporal stability %-9s mean %.4f gray levels/frame over %d frame pairs:%s%n",
                    e.getKey(), sum / pairs, pairs, line);
        }
    }

    private static Plane[] read(PairSet.Pair p) {
        try (Mat v = imread(p.visible().toString(), IMREAD_COLOR); Mat i = imread(p.infrared().toString(), IMREAD_COLOR);
             Mat ycrcb = new Mat(); Mat y = new Mat(); Mat g = new Mat()) {
            cvtColor(v, ycrcb, COLOR_BGR2YCrCb);
            opencv_core.extractChannel(ycrcb, y, 0);
            cvtColor(i, g, COLOR_BGR2GRAY);
            return new Plane[] {plane(y), plane(g)};
        }
    }

    private static Plane plane(Mat m) {
        Plane p = Plane.allocate(m.cols(), m.rows());
        byte[] px = new byte[m.cols() * m.rows()];
        m.data().get(px);
        p.fill(px);
        return p;
    }

    private static Plane random(int w, int h, long seed) {
        Plane p = Plane.allocate(w, h);
        byte[] px = new byte[w * h];
        new Random(seed).nextBytes(px);
        p.fill(px);
        return p;
    }
}
