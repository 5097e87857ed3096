package io.ivfuse.bench;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Milliseconds per 640x480 frame for the fusion engines, run by hand (see benchmarks/engines.md).
 * Each engine fuses the same pair of frames {@code --runs} times on one session after a warm-up;
 * every call is timed and the median and 90th percentile are printed. Alongside the engines it
 * times the alternatives that were rejected for {@code average} and {@code max} (OpenCV
 * {@code addWeighted}/{@code max} called directly, eight pixels per {@code long} in Java, and a
 * plain byte loop), so the choice can be
 * re-checked on other machines.
 *
 * <p>Arguments: {@code [--runs N] [--cv-threads N] [--size WxH] [engine ...]} (default engines:
 * average, max, laplacian).
 */
public final class EngineBenchmark {
    private static final int WARMUP = 300;

    private EngineBenchmark() {
    }

    public static void main(String[] args) {
        int runs = 1000;
        int width = 640;
        int height = 480;
        List<String> engines = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--cv-threads" -> opencv_core.setNumThreads(Integer.parseInt(args[++i]));
                case "--size" -> {
                    String[] wh = args[++i].split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                default -> engines.add(args[i]);
            }
        }
        if (engines.isEmpty()) {
            engines = List.of("average", "max", "laplacian");
        }
        Plane vis = scene(width, height, 1);
        Plane ir = scene(width, height, 2);
        Plane out = Plane.allocate(width, height);
        System.out.printf(Locale.ROOT, "%dx%d, %d runs, OpenCV threads %d, %d CPUs%n", width, height, runs,
                opencv_core.getNumThreads(), Runtime.getRuntime().availableProcessors());
        for (String name : engines) {
            try (FusionEngine engine = FusionEngines.create(name, EngineOptions.defaults());
                 FusionSession session = engine.openSession(width, height)) {
                report("engine " + name, runs, () -> session.fuse(vis, ir, out));
            }
        }
        try (MatViews views = new MatViews()) {
            report("OpenCV addWeighted(0.5, 0.5, +0.25) alone", runs,
                    () -> addWeighted(views.of(vis), 0.5, views.of(ir), 0.5, 0.25, views.of(out)));
            report("OpenCV max alone", runs, () -> opencv_core.max(views.of(vis), views.of(ir), views.of(out)));
        }
        report("alt average: packed longs (8 px per long)", runs, () -> PackedBytes.average(vis, ir, out));
        report("alt max: packed longs (8 px per long)", runs, () -> PackedBytes.max(vis, ir, out));
        report("alt average: byte loop", runs, () -> byteLoop(vis, ir, out, true));
        report("alt max: byte loop", runs, () -> byteLoop(vis, ir, out, false));
    }

    private static void report(String what, int runs, Runnable frame) {
        for (int i = 0; i < WARMUP; i++) {
            frame.run();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            frame.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-52s median %8.4f ms   p90 %8.4f ms%n", what,
                nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6);
    }

    /** One pixel at a time: the baseline the packed loops are measured against. */
    private static void byteLoop(Plane a, Plane b, Plane out, boolean average) {
        ByteBuffer pa = a.data();
        ByteBuffer pb = b.data();
        ByteBuffer po = out.data();
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                int u = pa.get(y * a.stride() + x) & 0xFF;
                int v = pb.get(y * b.stride() + x) & 0xFF;
                po.put(y * out.stride() + x, (byte) (average ? (u + v + 1) >> 1 : Math.max(u, v)));
            }
        }
    }

    /** A smooth gradient with blocks and noise, so no engine sees a trivial input. */
    private static Plane scene(int width, int height, long seed) {
        Random random = new Random(seed);
        Plane p = Plane.allocate(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int block = ((x / 40 + y / 40 + (int) seed) % 3) * 40;
                int v = (x * 120 / width) + block + (int) (random.nextGaussian() * 8);
                p.set(x, y, Math.max(0, Math.min(255, v)));
            }
        }
        return p;
    }
}
