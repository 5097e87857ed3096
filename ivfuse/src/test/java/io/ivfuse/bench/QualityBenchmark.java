package io.ivfuse.bench;

import io.ivfuse.quality.metric.Convention;
import io.ivfuse.quality.evaluation.ImageFiles;
import io.ivfuse.quality.metric.Metric;
import io.ivfuse.quality.metric.MetricCatalog;
import io.ivfuse.quality.metric.MetricImage;
import io.ivfuse.quality.metric.Triplet;
import io.ivfuse.testing.SharedFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * CPU cost of every metric on one 640x480 gray triplet, one thread, median of repeated runs, in two
 * ways: each metric alone on a fresh {@link Triplet} (what it costs by itself), and all metrics in
 * turn on one fresh triplet (the real use: later metrics reuse what earlier ones derived), where
 * each metric's share is the time it added. Run by hand (see benchmarks/quality.md):
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.ivfuse.bench.QualityBenchmark [runs]}.
 * Uses the first M3SVD frame from ../shared when present, else a random triplet.
 */
public final class QualityBenchmark {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        // CPU time of this thread: the development box is shared, and wall time there measures the neighbours.
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        MetricImage[] t = triplet();
        for (Convention c : Convention.values()) {
            List<Metric> all = List.copyOf(MetricCatalog.available(c).values());
            List<String> defaults = MetricCatalog.defaults(c).stream().map(Metric::name).toList();
            System.out.printf("%n%s convention, %dx%d gray, median of %d runs (ms)%n", c.id(), t[0].width(), t[0].height(), runs);
            System.out.println("| metric | alone | in the all-metrics pass |");
            double[][] alone = new double[all.size()][runs];
            double[][] shared = new double[all.size()][runs];
            double[] allTotal = new double[runs];
            double[] defaultTotal = new double[runs];
            for (int r = -3; r < runs; r++) {
                for (int m = 0; m < all.size(); m++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    all.get(m).compute(new Triplet(t[0], t[1], t[2]));
                    if (r >= 0) {
                        alone[m][r] = (cpu.getCurrentThreadCpuTime() - t0) / 1e6;
                    }
                }
                long start = cpu.getCurrentThreadCpuTime();
                Triplet one = new Triplet(t[0], t[1], t[2]);
                for (int m = 0; m < all.size(); m++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    all.get(m).compute(one);
                    if (r >= 0) {
                        shared[m][r] = (cpu.getCurrentThreadCpuTime() - t0) / 1e6;
                    }
                }
                long end = cpu.getCurrentThreadCpuTime();
                Triplet defaultsOnly = new Triplet(t[0], t[1], t[2]);
                for (Metric m : MetricCatalog.defaults(c)) {
                    m.compute(defaultsOnly);
                }
                if (r >= 0) {
                    allTotal[r] = (end - start) / 1e6;
                    defaultTotal[r] = (cpu.getCurrentThreadCpuTime() - end) / 1e6;
                }
            }
            for (int m = 0; m < all.size(); m++) {
                String name = all.get(m).name() + (defaults.contains(all.get(m).name()) ? "*" : "");
                System.out.printf("| %s | %.2f | %.2f |%n", name, median(alone[m]), median(shared[m]));
            }
            System.out.printf("| **all %d metrics, one triplet** | | **%.1f** |%n", all.size(), median(allTotal));
            System.out.printf("| **default set (%d, marked *), one triplet** | | **%.1f** |%n", defaults.size(), median(defaultTotal));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static MetricImage[] triplet() {
        Path irFile = SharedFiles.find("data/m3svd/frames/0111_1716/ir/0000.png");
        Path visFile = SharedFiles.find("data/m3svd/frames/0111_1716/vis/0000.png");
        if (irFile != null && visFile != null) {
            MetricImage ir = ImageFiles.read(irFile);
            MetricImage vis = ImageFiles.read(visFile);
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
        return io.ivfuse.quality.metric.GrayConversion.opencvFloatGrayRounded(m);
    }
}
