package io.ivfuse.bench;

import io.ivfuse.quality.Convention;
import io.ivfuse.quality.ImageFiles;
import io.ivfuse.quality.Metric;
import io.ivfuse.quality.MetricCatalog;
import io.ivfuse.quality.MetricImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Cost of every metric on one 640x480 gray triplet, one thread: median of repeated runs.
 * Run by hand (see benchmarks/quality.md):
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.ivfuse.bench.QualityBenchmark [runs]}.
 * Uses the first M3SVD frame from ../shared when present, else a random triplet.
 */
public final class QualityBenchmark {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        MetricImage[] t = triplet();
        for (Convention c : Convention.values()) {
            System.out.printf("%n%s convention, %dx%d gray, median of %d runs (ms)%n", c.id(), t[0].width(), t[0].height(), runs);
            double total = 0;
            double defaultsTotal = 0;
            var defaults = MetricCatalog.defaults(c).stream().map(Metric::name).toList();
            for (Metric m : MetricCatalog.available(c).values()) {
                double[] times = new double[runs];
                for (int r = -3; r < runs; r++) {
                    long t0 = System.nanoTime();
                    m.compute(t[0], t[1], t[2]);
                    if (r >= 0) {
                        times[r] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(times);
                double med = times[runs / 2];
                total += med;
                if (defaults.contains(m.name())) {
                    defaultsTotal += med;
                }
                System.out.printf("| %s | %.2f |%n", m.name(), med);
            }
            System.out.printf("| all %d metrics | %.1f |%n| default set (%d) | %.1f |%n", MetricCatalog.available(c).size(), total,
                    defaults.size(), defaultsTotal);
        }
    }

    private static MetricImage[] triplet() {
        Path dir = Path.of("..", "shared", "data", "m3svd", "frames", "0111_1716");
        if (Files.isDirectory(dir)) {
            MetricImage ir = ImageFiles.read(dir.resolve("ir/0000.png"));
            MetricImage vis = ImageFiles.read(dir.resolve("vis/0000.png"));
            double[] a = gray(ir);
            double[] b = gray(vis);
            double[] f = new double[a.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = Math.floor((a[i] + b[i] + 1) / 2);
            }
            return new MetricImage[] {MetricImage.gray(ir.width(), ir.height(), a), MetricImage.gray(ir.width(), ir.height(), b),
                MetricImage.gray(ir.width(), ir.height(), f)};
        }
        Random rnd = new Random(1);
        MetricImage[] out = new MetricImage[3];
        for (int k = 0; k < 3; k++) {
            double[] d = new double[640 * 480];
            for (int i = 0; i < d.length; i++) {
                d[i] = rnd.nextInt(256);
            }
            out[k] = MetricImage.gray(640, 480, d);
        }
        return out;
    }

    private static double[] gray(MetricImage m) {
        return io.ivfuse.quality.GrayConversion.opencvFloatGrayRounded(m);
    }
}
