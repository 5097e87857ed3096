package io.ivfuse.bench;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Frames per second of the embedded nano model through the tensorrt engine (FP32, FP16) and the
 * onnxruntime engine on the CPU, at 640x480 and 1920x1080, one session each, interleaved in rounds
 * so that load hits all alike; prints one markdown table row per engine and size with the median.
 * Run by benchmarks/gpu-check.sh; by hand:
 * {@code java -cp target/classes:target/test-classes:target/lib/* io.ivfuse.bench.TensorRtBenchmark [frames] [rounds]}
 */
public final class TensorRtBenchmark {
    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String[][] engines = {{"tensorrt", "fp32"}, {"tensorrt", "fp16"}, {"onnxruntime", null}};
        System.out.println("| engine | size | median fps | rounds |");
        System.out.println("|---|---|---|---|");
        for (int[] size : new int[][] {{640, 480}, {1920, 1080}}) {
            double[][] fps = new double[engines.length][rounds];
            FusionEngine[] open = new FusionEngine[engines.length];
            FusionSession[] sessions = new FusionSession[engines.length];
            for (int i = 0; i < engines.length; i++) {
                Map<String, String> p = engines[i][1] == null ? Map.of() : Map.of("precision", engines[i][1]);
                open[i] = FusionEngines.create(engines[i][0], new EngineOptions(null, 0, p));
                sessions[i] = open[i].openSession(size[0], size[1]);
            }
            Plane vis = random(size[0], size[1], 1);
            Plane ir = random(size[0], size[1], 2);
            Plane out = Plane.allocate(size[0], size[1]);
            for (int i = 0; i < engines.length; i++) {
                for (int w = 0; w < 10; w++) {
                    sessions[i].fuse(vis, ir, out); // warm-up
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < engines.length; i++) {
                    int n = engines[i][0].equals("onnxruntime") ? Math.max(1, frames / 10) : frames;
                    long t0 = System.nanoTime();
                    for (int f = 0; f < n; f++) {
                        sessions[i].fuse(vis, ir, out);
                    }
                    fps[i][r] = n / ((System.nanoTime() - t0) / 1e9);
                }
            }
            for (int i = 0; i < engines.length; i++) {
                double[] s = fps[i].clone();
                Arrays.sort(s);
                System.out.printf("| %s%s | %dx%d | %.1f | %s |%n", engines[i][0], engines[i][1] == null ? " (cpu)" : " " + engines[i][1],
                        size[0], size[1], s[s.length / 2], Arrays.toString(fps[i]));
                sessions[i].close();
                open[i].close();
            }
        }
    }

    private static Plane random(int w, int h, long seed) {
        byte[] px = new byte[w * h];
        new Random(seed).nextBytes(px);
        Plane p = Plane.allocate(w, h);
        p.fill(px);
        return p;
    }
}
