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
import io.ivfuse.registration.OrientationAgreement;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * SET: tno, roadscene-test, m3svd (frames 0000 and 0010 of each sequence); development only:
 * roadscene-train, tno-dev (the 5 TNO pairs the 20 final cases leave out), m3svd-dev (frames 0005, 0015). Pairs are taken in file-name order, spread evenly when a set has more than asked for.
 */
public final class RegistrationAccuracyBenchmark {
    static final double SUCCESS_PX = 2;
    /** TNO cases of the final figures (registration.md); the other TNO pairs are development data. */
    private static final int FINAL_TNO_CASES = 20;

    record Pair(String set, Path ir, Path vis) {
    }

    public static void main(String[] args) throws IOException {
        List<String> sets = Arrays.asList(args[0].split(","));
        int perSet = Integer.parseInt(args[1]);
        List<Long> seeds = Arrays.stream(args[2].split(",")).map(Long::parseLong).toList();
        Path out = Path.of(args[3]);
        Path shared = Path.of("..", "shared", "data");
        AutoCalibrator calibrator = new AutoCalibrator();
        Map<Path, Reference> references = new HashMap<>();
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out))) {
            tsv.println("seed\tset\tpair\tscale\tangle\ttx\tty\toutcome\terror_px\tconsistency_px\toutcome_corrected"
                    + "\tconfidence\tcorrelation\tsupport\thypotheses\tmargin\torientation_shift_px\tseconds\treason");
            for (long seed : seeds) {
                Tally nominal = new Tally();
                Tally corrected = new Tally();
                List<Double> seconds = new ArrayList<>();
                for (String set : sets) {
                    List<Pair> pairs = spread(pairs(shared, set), perSet);
                    Random random = new Random(seed ^ set.hashCode());
                    // -DmaxCases=N: only the first N cases of each set (same warps), to recheck a case quickly
                    for (Pair pair : pairs.subList(0, Math.min(pairs.size(), Integer.getInteger("maxCases", pairs.size())))) {
                        String row = runCase(calibrator, pair, random, references, nominal, corrected, seconds);
                        tsv.println(seed + "\t" + row);
                        tsv.flush();
                        System.out.println(seed + "\t" + row);
                    }
                }
                double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "seed %d, cases %d: against the nominal truth %s; against the corrected truth"
                        + " %s; seconds per calibration median %.1f, max %.1f%n", seed, s.length, nominal, corrected,
                        s[s.length / 2], s[s.length - 1]);
            }
        }
        if (Boolean.getBoolean("consistency")) {
            Path truth = out.resolveSibling(out.getFileName().toString().replaceFirst("(\\.tsv)?$", ".truth.tsv"));
            try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(truth))) {
                tsv.println(Reference.HEADER);
                references.forEach((ir, ref) -> tsv.println(ir + "\t" + ref));
            }
            System.out.println("the unperturbed pairs' own registration: " + truth);
        }
    }

    /** Successes, refusals and wrong files. */
    private static final class Tally {
        int success;
        int refused;
        int wrong;

        void add(String outcome) {
            switch (outcome) {
                case "success" -> success++;
                case "WRONG" -> wrong++;
                default -> refused++;
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "success %d, refused %d, WRONG %d", success, refused, wrong);
        }
    }

    private static String runCase(AutoCalibrator calibrator, Pair pair, Random random, Map<Path, Reference> references,
            Tally nominal, Tally corrected, List<Double> seconds) {
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
        try (Mat gm = g.toMat(); Size size = new Size(irSize.width(), irSize.height()); Scalar black = new Scalar(0.0)) {
            warpPerspective(ir, moved, gm, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, black);
        }
        long t0 = System.nanoTime();
        String line;
        Calibration.Model model = Boolean.getBoolean("affine") ? Calibration.Model.AFFINE : Calibration.Model.HOMOGRAPHY;
        try {
            AutoCalibrator.Result r = calibrator.calibrate(moved, vis, model);
            double s = (System.nanoTime() - t0) / 1e9;
            seconds.add(s);
            double consistency = Double.NaN;
            Reference ref = null;
            if (Boolean.getBoolean("consistency")) {
                ref = references.computeIfAbsent(pair.ir, k -> Reference.of(calibrator, ir, vis, model));
                if (ref.own != null) {
                    consistency = overlapError(r.calibration().irToVis(), ref.own.after(g), g, irSize, visSize);
                }
            }
            double error = overlapError(r.calibration().irToVis(), truth, g, irSize, visSize);
            String outcome = outcome(r.accepted(), error);
            String outcomeCorrected = ref != null && ref.provablyOff() ? outcome(r.accepted(), consistency) : outcome;
            nominal.add(outcome);
            corrected.add(outcomeCorrected);
            line = String.format(Locale.ROOT, "%s\t%.3f\t%.3f\t%s\t%.3f\t%.4f\t%d\t%d\t%.4f\t%.2f\t%.1f\t%s", outcome, error,
                    consistency, outcomeCorrected, r.confidence(), r.correlation(), r.support(), r.hypotheses(),
                    r.rivalMargin(), r.orientationShift(), s, r.reason() == null ? "" : r.reason());
        } catch (IvfuseException e) {
            double s = (System.nanoTime() - t0) / 1e9;
            seconds.add(s);
            nominal.add("refused");
            corrected.add("refused");
            line = String.format(Locale.ROOT, "refused\tNaN\tNaN\trefused\t0\tNaN\t0\t0\tNaN\tNaN\t%.1f\t%s", s, e.getMessage());
        } finally {
            ir.close();
            vis.close();
            moved.close();
        }
        return String.format(Locale.ROOT, "%s\t%s\t%.3f\t%.2f\t%.1f\t%.1f\t", pair.set, pair.ir.getFileName(), params[0],
                params[1], params[2], params[3]) + line;
    }

    private static String outcome(boolean accepted, double error) {
        return !accepted ? "refused" : error <= SUCCESS_PX ? "success" : "WRONG";
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
     * The unperturbed pair's own registration, and whether its nominal truth (the data set's
     * registration) is provably off: the calibrator accepts an estimate more than {@value #SUCCESS_PX}
     * px from it, and an independent measure and optimiser, the gradient-orientation agreement
     * ({@link OrientationAgreement}) maximised by compass search <em>started from the nominal truth</em>,
     * leaves the nominal truth by more than {@value #SUCCESS_PX} px and lands within {@value #SUCCESS_PX}
     * px of the estimate, with a higher score there than at the nominal truth.
     *
     * @param own                  accepted IR-to-visible estimate on the unperturbed pair, or null
     * @param ownOffset            its mean distance from the nominal truth (visible pixels, IR grid)
     * @param scoreNominal         orientation agreement at the nominal truth
     * @param scoreOwn             and at the estimate
     * @param orientationToNominal the orientation optimum (from the nominal truth) to the nominal truth, px
     * @param orientationToOwn     and to the estimate
     */
    record Reference(Homography own, double ownOffset, double scoreNominal, double scoreOwn, double orientationToNominal,
            double orientationToOwn, String refusal) {
        static final String HEADER = "ir\taccepted\town_offset_px\tscore_nominal\tscore_own\torientation_to_nominal_px"
                + "\torientation_to_own_px\tprovably_off\trefusal";

        static Reference of(AutoCalibrator calibrator, Mat ir, Mat vis, Calibration.Model model) {
            FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
            Homography nominal = Homography.rescaling(irSize, new FrameSize(vis.cols(), vis.rows()));
            Homography own = null;
            String refusal = null;
            Homography estimate;
            try {
                AutoCalibrator.Result r = calibrator.calibrate(ir, vis, model);
                estimate = r.calibration().irToVis();
                refusal = r.reason();
                own = r.accepted() ? estimate : null;
            } catch (IvfuseException e) {
                return new Reference(null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, e.getMessage());
            }
            try (OrientationAgreement orientation = OrientationAgreement.of(ir, vis, model == Calibration.Model.AFFINE)) {
                Homography optimum = orientation.maximiseIrToVis(nominal);
                return new Reference(own, estimate.meanDistance(nominal, irSize), orientation.scoreIrToVis(nominal),
                        orientation.scoreIrToVis(estimate), optimum.meanDistance(nominal, irSize),
                        optimum.meanDistance(estimate, irSize), refusal);
            }
        }

        boolean provablyOff() {
            return own != null && ownOffset > SUCCESS_PX && orientationToNominal > SUCCESS_PX
                    && orientationToOwn <= SUCCESS_PX && scoreOwn > scoreNominal;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s\t%.3f\t%.5f\t%.5f\t%.3f\t%.3f\t%s\t%s", own != null, ownOffset,
                    scoreNominal, scoreOwn, orientationToNominal, orientationToOwn, provablyOff(),
                    refusal == null ? "" : refusal);
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
            // development only: the 5 TNO pairs that 20 evenly spread cases leave out, and other M3SVD frames
            case "tno-dev" -> {
                List<Pair> all = new ArrayList<>(matched(set, shared.resolve("tno")));
                all.removeAll(spread(matched(set, shared.resolve("tno")), FINAL_TNO_CASES));
                yield all;
            }
            case "m3svd" -> m3svdFrames(shared, set, List.of("0000.png", "0010.png"));
            case "m3svd-dev" -> m3svdFrames(shared, set, List.of("0005.png", "0015.png"));
            default -> throw new IllegalArgumentException("unknown set " + set);
        };
    }

    private static List<Pair> m3svdFrames(Path shared, String set, List<String> frames) throws IOException {
        List<Pair> all = new ArrayList<>();
        try (Stream<Path> seqs = Files.list(shared.resolve("m3svd/frames"))) {
            for (Path seq : seqs.sorted().toList()) {
                for (String frame : frames) {
                    all.add(new Pair(set, seq.resolve("ir").resolve(frame), seq.resolve("vis").resolve(frame)));
                }
            }
        }
        return all;
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
