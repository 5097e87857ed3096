package io.ivfuse.bench;

import io.ivfuse.frame.Plane;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.registration.IrRegistrar;
import java.util.Arrays;
import java.util.Random;

/**
 * Cost of {@link IrRegistrar#warp} per frame, median over many frames, for the registration cases
 * the pipeline meets. Run by hand (results in benchmarks/registration.md):
 * <pre>
 * mvn -q -o test-compile &amp;&amp; mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ivfuse.bench.RegistrationBenchmark
 * </pre>
 * Optional arguments: frames per case (default 2000), OpenCV threads (default: OpenCV's own).
 */
public final class RegistrationBenchmark {

    public static void main(String[] args) {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        if (args.length > 1) {
            org.bytedeco.opencv.global.opencv_core.setNumThreads(Integer.parseInt(args[1]));
        }
        System.out.println("OpenCV threads: " + org.bytedeco.opencv.global.opencv_core.getNumThreads()
                + ", frames per case: " + frames);
        FrameSize vga = new FrameSize(640, 480);
        FrameSize qvga = new FrameSize(320, 240);
        Homography h = Homography.of(0.86 * Math.cos(0.035), -0.86 * Math.sin(0.035), 52,
                0.86 * Math.sin(0.035), 0.86 * Math.cos(0.035), 30, 2e-5, -1.5e-5, 1);
        Calibration homography = Calibration.of(Calibration.Model.HOMOGRAPHY, h, vga, vga);
        run("identity 640x480 -> 640x480 (copy)", vga, vga, Calibration.identity(), frames);
        run("homography 640x480 -> 640x480 (remap)", vga, vga, homography, frames);
        run("homography 320x240 -> 640x480 (remap)", qvga, vga, homography, frames);
        run("identity 320x240 -> 640x480 (remap = resize)", qvga, vga, Calibration.identity(), frames);
    }

    private static void run(String name, FrameSize irSize, FrameSize visSize, Calibration calibration, int frames) {
        Plane ir = Plane.allocate(irSize.width(), irSize.height());
        byte[] noise = new byte[irSize.width() * irSize.height()];
        new Random(1).nextBytes(noise);
        ir.fill(noise);
        Plane out = Plane.allocate(visSize.width(), visSize.height());
        long buildStart = System.nanoTime();
        try (IrRegistrar registrar = new IrRegistrar(irSize, visSize, calibration)) {
            double buildMs = (System.nanoTime() - buildStart) / 1e6;
            for (int i = 0; i < 300; i++) {
                registrar.warp(ir, out); // warm-up: JIT, OpenCV thread pool, caches
            }
            long[] ns = new long[frames];
            for (int i = 0; i < frames; i++) {
                long t0 = System.nanoTime();
                registrar.warp(ir, out);
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            System.out.printf("%-46s median %.3f ms  p10 %.3f  p90 %.3f  (construction %.1f ms)%n", name,
                    ns[frames / 2] / 1e6, ns[frames / 10] / 1e6, ns[frames * 9 / 10] / 1e6, buildMs);
        }
    }
}
