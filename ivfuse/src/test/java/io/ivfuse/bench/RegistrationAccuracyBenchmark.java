package io.ivfuse.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import io.ivfuse.IvfuseException;
import io.ivfuse.registration.AutoCalibrator;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The known-homography protocol of issue 16 for {@code ivfuse calibrate}'s automatic mode
 * ({@link AutoCalibrator}): the IR image of a registered pair is moved by a random homography G
 * (scale 0.85-1.2, rotation within 8 degrees, translation within 10% of the frame, mild
 * perspective), the visible image is unchanged, and the calibration must recover IR' -> visible.
 * Success: accepted and a mean error of at most 2 px over a 20x20 grid of the IR frame; wrong:
 * accepted with a larger error; refused: not accepted or an error. Run by benchmarks/registration.sh:
 * <pre>
 * java -cp ... io.ivfuse.bench.RegistrationAccuracyBenchmark SET[,SET...] CASES_PER_SET SEED OUT.tsv
 * </pre>
 * SET: tno, roadscene-test, roadscene-train (development only), m3svd (frames 0000 and 0010 of each
 * sequence). Pairs are taken in file-name order, spread evenly when a set has more than asked for.
 */
public final class RegistrationAccuracyBenchmark {
    static final double SUCCESS_PX = 2;

    record Pair(String set, Path ir, Path vis) {
    }

    public static void main(String[] args) throws IOException {
        List<String> sets = Arrays.asList(args[0].split(","));
        int perSet = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Path out = Path.of(args[3]);
        Path shared = Path.of("..", "shared", "data");
        AutoCalibrator calibrator = new AutoCalibrator();
        int success = 0;
        int wrong = 0;
        int refused = 0;
        List<Double> seconds = new ArrayList<>();
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out))) {
            tsv.println("set\tpair\tscale\tangle\ttx\tty\toutcome\terror_px\tconsistency_px\tconfidence\tcorrelation\tsupport\thypotheses"
                    + "\tmargin\tseconds\treason");
            for (String set : sets) {
                List<Pair> pairs = spread(pairs(shared, set), perSet);
                Random random = new Random(seed ^ set.hashCode());
                for (Pair pair : pairs) {
                    Mat ir = imread(pair.ir.toString(), IMREAD_GRAYSCALE);
                    Mat vis = imread(pair.vis.toString(), IMREAD_GRAYSCALE);
                    FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
                    FrameSize visSize = new FrameSize(vis.cols(), vis.rows());
                    double[] params = new double[6];
                    Homography g = randomPerturbation(random, irSize, params);
                    if (Boolean.getBoolean("identity")) {
                        g = Homography.identity();
                    }
                    Homography truth = Homography.rescaling(irSize, visSize).after(g);
                    Mat moved = new Mat();
                    try (Mat gm = g.toMat(); Size size = new Size(irSize.width(), irSize.height());
                            Scalar black = new Scalar(0.0)) {
                        warpPerspective(ir, moved, gm, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, black);
                    }
                    long t0 = System.nanoTime();
                    String outcome;
                    String line;
                    try {
                        AutoCalibrator.Result r = calibrator.calibrate(moved, vis, Boolean.getBoolean("affine") ? Calibration.Model.AFFINE : Calibration.Model.HOMOGRAPHY);
                        double s = (System.nanoTime() - t0) / 1e9;
                        seconds.add(s);
                        String consistency = "NaN";
                        if (Boolean.getBoolean("consistency")) {
                            consistency = consistency(calibrator, ir, vis, r, g, irSize, visSize);
                        }
                        double error = overlapError(r.calibration().irToVis(), truth, g, irSize, visSize);
                        outcome = !r.accepted() ? "refused" : error <= SUCCESS_PX ? "success" : "WRONG";
                        line = String.format(Locale.ROOT, "%s\t%.3f\t%s\t%.3f\t%.4f\t%d\t%d\t%.4f\t%.1f\t%s", outcome, error, consistency,
                                r.confidence(), r.correlation(), r.support(), r.hypotheses(), r.rivalMargin(), s,
                                r.reason() == null ? "" : r.reason());
                    } catch (IvfuseException e) {
                        double s = (System.nanoTime() - t0) / 1e9;
                        seconds.add(s);
                        outcome = "refused";
                        line = String.format(Locale.ROOT, "refused\tNaN\tNaN\t0\tNaN\t0\t0\tNaN\t%.1f\t%s", s, e.getMessage());
                    }
                    switch (outcome) {
                        case "success" -> success++;
                        case "WRONG" -> wrong++;
                        default -> refused++;
                    }
                    String row = String.format(Locale.ROOT, "%s\t%s\t%.3f\t%.2f\t%.1f\t%.1f\t", set,
                            pair.ir.getFileName(), params[0], params[1], params[2], params[3]) + line;
                    tsv.println(row);
                    tsv.flush();
                    System.out.println(row);
                    ir.close();
                    vis.close();
                    moved.close();
                }
            }
        }
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "cases %d: success %d, refused %d, WRONG %d; seconds per calibration median %.1f,"
                + " max %.1f%n", success + wrong + refused, success, refused, wrong, s[s.length / 2], s[s.length - 1]);
    }

    /**
     * G maps IR' pixels to IR pixels (IR'(q) = IR(G q)): about the frame centre, a similarity of
     * scale 0.85-1.2 (log-uniform) and rotation within 8 degrees, a perspective term moving the
     * frame's edges by up to 2.5%, and a translation within 10% of the frame.
     */
    static Homography randomPerturbation(Random random, FrameSize size, double[] params) {
        double w = size.width();
        double h = size.height();
        double scale = Math.exp(Math.log(0.85) + random.nextDouble() * Math.log(1.2 / 0.85));
        double angle = (random.nextDouble() * 2 - 1) * 8;
        double tx = (random.nextDouble() * 2 - 1) * 0.1 * w;
        double ty = (random.nextDouble() * 2 - 1) * 0.1 * h;
        double px = (random.nextDouble() * 2 - 1) * 0.05 / w;
        double py = (random.nextDouble() * 2 - 1) * 0.05 / h;
        params[0] = scale;
        params[1] = angle;
        params[2] = tx;
        params[3] = ty;
        params[4] = px;
        params[5] = py;
        double cx = (w - 1) / 2;
        double cy = (h - 1) / 2;
        double a = Math.toRadians(angle);
        double c = scale * Math.cos(a);
        double s = scale * Math.sin(a);
        Homography toCentre = Homography.of(1, 0, -cx, 0, 1, -cy, 0, 0, 1);
        Homography fromCentre = Homography.of(1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1);
        Homography similarityAndTilt = Homography.of(c, -s, 0, s, c, 0, px, py, 1);
        return fromCentre.after(similarityAndTilt).after(toCentre);
    }

    /**
     * The error against the calibration of the unperturbed pair composed with G instead of the
     * nominal truth: what remains when the data set's own misregistration is taken out. "NaN" when
     * the unperturbed pair is not accepted itself.
     */
    private static String consistency(AutoCalibrator calibrator, Mat ir, Mat vis, AutoCalibrator.Result r, Homography g,
            FrameSize irSize, FrameSize visSize) {
        try {
            AutoCalibrator.Result ref = calibrator.calibrate(ir, vis, r.calibration().model());
            if (!ref.accepted()) {
                return "NaN";
            }
            Homography expected = ref.calibration().irToVis().after(g);
            return String.format(Locale.ROOT, "%.3f", overlapError(r.calibration().irToVis(), expected, g, irSize, visSize));
        } catch (IvfuseException e) {
            return "NaN";
        }
    }

    /**
     * Mean distance between where the estimate and the truth send a 20x20 grid of IR' points,
     * over the points that show scene (G q inside the original IR frame) and land in the visible
     * frame: outside that overlap there is no evidence to register on.
     */
    static double overlapError(Homography estimate, Homography truth, Homography g, FrameSize ir, FrameSize vis) {
        double[] p = new double[3];
        double[] e = new double[3];
        double[] t = new double[3];
        double sum = 0;
        int count = 0;
        int n = 20;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double x = (ir.width() - 1) * i / (n - 1.0);
                double y = (ir.height() - 1) * j / (n - 1.0);
                g.apply(x, y, p);
                truth.apply(x, y, t);
                if (inside(p, ir) && inside(t, vis)) {
                    estimate.apply(x, y, e);
                    sum += Math.hypot(e[0] - t[0], e[1] - t[1]);
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static boolean inside(double[] p, FrameSize size) {
        return p[0] >= 0 && p[1] >= 0 && p[0] <= size.width() - 1 && p[1] <= size.height() - 1;
    }

    static List<Pair> pairs(Path shared, String set) throws IOException {
        return switch (set) {
            case "tno" -> matched(set, shared.resolve("tno"));
            case "roadscene-test" -> matched(set, shared.resolve("roadscene/test"));
            case "roadscene-train" -> matched(set, shared.resolve("roadscene/train"));
            case "m3svd" -> {
                List<Pair> all = new ArrayList<>();
                try (Stream<Path> seqs = Files.list(shared.resolve("m3svd/frames"))) {
                    for (Path seq : seqs.sorted().toList()) {
                        for (String frame : List.of("0000.png", "0010.png")) {
                            all.add(new Pair(set, seq.resolve("ir").resolve(frame), seq.resolve("vis").resolve(frame)));
                        }
                    }
                }
                yield all;
            }
            default -> throw new IllegalArgumentException("unknown set " + set);
        };
    }

    private static List<Pair> matched(String set, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("ir"))) {
            return files.sorted().map(f -> new Pair(set, f, dir.resolve("vis").resolve(f.getFileName()))).toList();
        }
    }

    private static List<Pair> spread(List<Pair> all, int n) {
        if (all.size() <= n) {
            return all;
        }
        List<Pair> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(all.get((int) ((long) i * all.size() / n)));
        }
        return picked;
    }
}
