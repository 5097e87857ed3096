package io.ivfuse.bench;

import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.exposure.ExposureBrackets;
import io.ivfuse.testing.SharedFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fusion-only time of the {@code mef} engines at 640x480, run by hand (see
 * benchmarks/mef-engines.md): one session per engine on the same exposure pair (4:2:0 planes, as
 * the pipeline carries them), warmed up, then {@code --rounds} rounds in which every engine fuses
 * {@code --runs} frames, one engine after the other, so a change in the machine's load hits all
 * alike. Prints each round's median per engine, the median of the rounds, and the load averages
 * before and after.
 *
 * <p>The pair is a synthetic bracket (-1.5 and +1.5 stops around mid-grey, gamma 2.2, clipped) of a RoadScene
 * visible image from {@code ../shared} resized to the frame size, or of a generated scene when
 * that is absent. Arguments: {@code [--runs N] [--rounds N] [--cv-threads N] [--size WxH]
 * [--chroma 420|444] [engine[@MODEL] ...]} (default engines: mertens, mef-lut).
 */
public final class MefEngineBenchmark {
    private static final int WARMUP = 50;
    private static final String IMAGE = "data/roadscene/train/vis/FLIR_00006.jpg";

    private MefEngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 200;
        int rounds = 5;
        int width = 640;
        int height = 480;
        boolean subsampled = true;
        List<String> engines = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--cv-threads" -> opencv_core.setNumThreads(Integer.parseInt(args[++i]));
                case "--chroma" -> subsampled = !"444".equals(args[++i]);
                case "--size" -> {
                    String[] wh = args[++i].split("x");
                    width = Integer.parseInt(wh[0]);
                    height = Integer.parseInt(wh[1]);
                }
                default -> engines.add(args[i]);
            }
        }
        if (engines.isEmpty()) {
            engines = List.of("mertens", "mef-lut");
        }
        Path image = SharedFiles.find(IMAGE);
        YuvPlanes[] pair = new YuvPlanes[2];
        try (Mat scene = scene(image, width, height)) {
            for (int k = 0; k < 2; k++) {
                try (Mat exposure = ExposureBrackets.centredExposure(scene, k == 0 ? -1.5 : 1.5)) {
                    pair[k] = ExposureBrackets.planes(exposure, subsampled);
                }
            }
        }
        YuvPlanes out = YuvPlanes.allocate(width, height, subsampled);
        System.out.printf(Locale.ROOT, "%dx%d %s, %s, %d rounds x %d frames, OpenCV threads %d, %d CPUs, load %s%n",
                width, height, subsampled ? "4:2:0" : "4:4:4", image != null ? image.getFileName() : "generated scene",
                rounds, runs, opencv_core.getNumThreads(), Runtime.getRuntime().availableProcessors(), load());
        List<FusionEngine> open = new ArrayList<>();
        List<ExposureFusionSession> sessions = new ArrayList<>();
        try {
            for (String name : engines) {
                // NAME@MODEL: a learned engine with that model file (two students side by side)
                String[] nameModel = name.split("@", 2);
                EngineOptions options = nameModel.length == 1 ? EngineOptions.defaults()
                        : new EngineOptions(Path.of(nameModel[1]), 0, java.util.Map.of());
                FusionEngine e = FusionEngines.create(nameModel[0], FusionMode.MEF, options);
                open.add(e);
                sessions.add(e.openExposureSession(width, height, 2, subsampled));
            }
            double[][] medians = new double[engines.size()][rounds];
            for (ExposureFusionSession s : sessions) {
                for (int i = 0; i < WARMUP; i++) {
                    s.fuse(pair, out);
                }
            }
            long[] nanos = new long[runs];
            for (int r = 0; r < rounds; r++) {
                for (int e = 0; e < sessions.size(); e++) {
                    for (int i = 0; i < runs; i++) {
                        long t0 = System.nanoTime();
                        sessions.get(e).fuse(pair, out);
                        nanos[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(nanos);
                    medians[e][r] = nanos[runs / 2] / 1e6;
                }
            }
            for (int e = 0; e < engines.size(); e++) {
                double[] m = medians[e].clone();
                Arrays.sort(m);
                double median = m[rounds / 2];
                System.out.printf(Locale.ROOT, "%-10s median %7.3f ms = %7.1f frames/s   rounds %s%n", engines.get(e),
                        median, 1000 / median, Arrays.toString(Arrays.stream(medians[e]).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
            }
            System.out.println("load after: " + load());
        } finally {
            sessions.forEach(ExposureFusionSession::close);
            open.forEach(FusionEngine::close);
        }
    }

    private static String load() throws java.io.IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? String.join(" ", Arrays.copyOf(Files.readString(p).trim().split(" "), 3)) : "n/a";
    }

    /** The image resized to the frame size, or a gradient with blocks when there is none. */
    private static Mat scene(Path image, int width, int height) {
        Mat out = new Mat();
        try (Size size = new Size(width, height)) {
            if (image != null) {
                try (Mat m = opencv_imgcodecs.imread(image.toString())) {
                    opencv_imgproc.resize(m, out, size, 0, 0, opencv_imgproc.INTER_AREA);
                }
                return out;
            }
            out.create(height, width, opencv_core.CV_8UC3);
            ByteBuffer b = out.createBuffer();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int v = x * 200 / width + ((x / 40 + y / 40) % 3) * 20;
                    for (int c = 0; c < 3; c++) {
                        b.put((y * width + x) * 3 + c, (byte) Math.min(255, v + c * 10));
                    }
                }
            }
            return out;
        }
    }
}
