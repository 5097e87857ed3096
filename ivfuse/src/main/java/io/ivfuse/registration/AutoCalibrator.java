package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

/**
 * Automatic IR-to-visible calibration for rigs far from aligned, which says how sure it is.
 *
 * <ol>
 *   <li>Both images become locally normalised edge-strength pyramids ({@link EdgeImages}), the IR
 *       resampled onto the visible grid and its padding masked out.</li>
 *   <li>A coarse global search over scale, rotation and translation ({@link SimilaritySearch}) at
 *       about 160 pixels wide gives several distinct hypotheses.</li>
 *   <li>Each is refined coarse to fine by ECC (Evangelidis and Psarakis, "Parametric image alignment
 *       using enhanced correlation coefficient maximization", IEEE TPAMI 2008; OpenCV
 *       {@code findTransformECC}), affine on the coarse levels and the full model on the fine
 *       ones, the visible edges as template and the masked IR edges as input.</li>
 *   <li>The confidence rests on evidence a wrong answer rarely has: independent hypotheses that
 *       converge to the same mapping, and a winning correlation clearly above that of every
 *       distinct rival (the idea of a distinctiveness ratio test, Lowe, IJCV 2004).</li>
 * </ol>
 */
public final class AutoCalibrator {
    /** A result at or above this confidence is accepted; below, the caller should refuse it. */
    public static final double ACCEPT_CONFIDENCE = 0.5;

    private static final int MIN_LEVEL_SIDE = 40;
    private static final int MAX_LEVELS = 6;
    /** The coarse search runs on the finest level at most this wide. */
    private static final int SEARCH_MAX_WIDTH = 320;
    private static final int HYPOTHESES = 6;
    /** Candidates refined at full resolution, best by correlation at the comparison level. */
    private static final int FINALISTS = 2;
    /** Two mappings closer than this (mean over a grid, visible pixels) are the same answer. */
    static final double AGREE_PX = 3;
    /**
     * At least this many independently started hypotheses must converge to the winner. A lone
     * hypothesis used to be refused as a likely local optimum of ECC; the orientation check
     * ({@link #MAX_ORIENTATION_SHIFT_PX}) now tests it independently, and on the development sets
     * it confirmed lone winners that were right and rejected the grossly wrong ones.
     */
    static final int MIN_SUPPORT = 1;
    /**
     * Full-resolution ECC correlation of the aligned edge images below which alignment is refused.
     * Chosen on RoadScene train (development): the correct alignments there correlate at 0.31-0.66,
     * the ones tens of pixels off at 0.09-0.12.
     */
    static final double MIN_CORRELATION = 0.15;
    /**
     * Maximising the gradient-orientation agreement from the result may move it at most this far
     * (mean over a grid, visible pixels); farther, edge strength and edge orientation disagree.
     */
    static final double MAX_ORIENTATION_SHIFT_PX = 1.5;
    /** Gray-level standard deviation below which an image is blank. */
    private static final double MIN_STDDEV = 2;

    /**
     * @param calibration the best mapping found (also when not accepted: the caller may keep it
     *                    under another name for inspection)
     * @param confidence  0..1; {@link #accepted()} when at least {@link #ACCEPT_CONFIDENCE}
     * @param correlation ECC correlation of the edge images at full resolution once aligned
     * @param support     refined hypotheses that agree with the winner (within {@value #AGREE_PX} px), itself included
     * @param hypotheses  hypotheses that ECC refined without failing
     * @param rivalMargin winner's correlation minus the best distinct rival's, at the comparison level
     * @param orientationShift how far (mean over a grid, visible pixels) maximising the gradient-orientation
     *                    agreement ({@link OrientationAgreement}) moves the result: a second, independent opinion
     * @param reason      why it is not accepted, or null
     */
    public record Result(Calibration calibration, double confidence, double correlation, int support, int hypotheses,
            double rivalMargin, double orientationShift, String reason) {
        public boolean accepted() {
            return reason == null;
        }
    }

    private record Candidate(Mat warp, double correlation) {
    }

    /**
     * @param ir    the IR image (8-bit gray or BGR), any size
     * @param vis   the visible image (8-bit gray or BGR)
     * @param model HOMOGRAPHY or AFFINE
     * @throws IvfuseException when an image is blank, or no hypothesis could be refined at all
     */
    public Result calibrate(Mat ir, Mat vis, Calibration.Model model) {
        FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
        FrameSize visSize = new FrameSize(vis.cols(), vis.rows());
        List<Mat> irLevels = new ArrayList<>();
        List<Mat> visLevels = new ArrayList<>();
        List<Mat> maskLevels = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        try (Mat irGray = EdgeImages.gray(ir); Mat visGray = EdgeImages.gray(vis); Mat irAtVis = new Mat();
                Size size = new Size(visSize.width(), visSize.height())) {
            requireContent(irGray, "IR");
            requireContent(visGray, "visible");
            resize(irGray, irAtVis, size, 0, 0, irSize.width() > visSize.width() ? INTER_AREA : INTER_LINEAR);
            int levels = EdgeImages.levelCount(visSize, MIN_LEVEL_SIDE, MAX_LEVELS);
            EdgeImages.edgePyramid(irAtVis, levels, irLevels);
            EdgeImages.edgePyramid(visGray, levels, visLevels);
            try (Mat mask = EdgeImages.sceneMask(irAtVis)) {
                EdgeImages.maskPyramid(mask, irLevels, maskLevels);
            }
            for (int i = 0; i < levels; i++) {
                EdgeImages.applyMask(irLevels.get(i), maskLevels.get(i));
            }
            int searchLevel = searchLevel(visLevels);
            int compareLevel = Math.min(1, searchLevel);
            boolean affine = model == Calibration.Model.AFFINE;

            Mat search = visLevels.get(searchLevel);
            for (SimilaritySearch.Hypothesis h : SimilaritySearch.search(irLevels.get(searchLevel), maskLevels.get(searchLevel), search, HYPOTHESES)) {
                Mat warp = initialWarp(h.irToVis(search.cols(), search.rows()).inverse(), affine);
                Double rho = refine(warp, searchLevel, compareLevel, irLevels, visLevels, maskLevels, affine);
                if (rho == null) {
                    warp.close();
                } else {
                    candidates.add(new Candidate(warp, rho));
                }
            }
            if (candidates.isEmpty()) {
                throw new IvfuseException("could not register the IR image onto the visible image: no alignment"
                        + " hypothesis converged (do the images show the same scene?)");
            }
            candidates.sort(Comparator.comparingDouble(Candidate::correlation).reversed());
            List<Homography> atCompare = new ArrayList<>();
            for (Candidate c : candidates) {
                atCompare.add(atFullResolution(c.warp, compareLevel, affine));
            }
            Candidate best = null;
            Homography bestVisToIr = null;
            double bestRho = -1;
            for (int i = 0; i < Math.min(FINALISTS, candidates.size()); i++) {
                Candidate c = candidates.get(i);
                try (Mat warp = c.warp.clone()) {
                    Double rho = compareLevel == 0 ? Double.valueOf(c.correlation)
                            : refine(warp, compareLevel - 1, 0, irLevels, visLevels, maskLevels, affine, compareLevel);
                    if (rho != null && rho > bestRho) {
                        bestRho = rho;
                        best = c;
                        bestVisToIr = HomographyEstimator.toHomography(warp, affine);
                    }
                }
            }
            if (best == null) {
                throw new IvfuseException("could not register the IR image onto the visible image: ECC did not"
                        + " converge at full resolution");
            }
            Homography winner = atCompare.get(candidates.indexOf(best));
            int support = 0;
            double rival = -1;
            for (int i = 0; i < candidates.size(); i++) {
                double d = atCompare.get(i).inverse().meanDistance(winner.inverse(), visSize);
                if (d <= AGREE_PX) {
                    support++;
                } else {
                    rival = Math.max(rival, candidates.get(i).correlation);
                }
            }
            double margin = best.correlation - Math.max(rival, 0);
            Homography irToVis = bestVisToIr.inverse().after(Homography.rescaling(irSize, visSize));
            String problem = Calibration.problem(model, irToVis, irSize, visSize);
            if (problem != null) {
                throw new IvfuseException("the estimated registration is unusable: " + problem);
            }
            double shift;
            try (OrientationAgreement orientation = new OrientationAgreement(irAtVis, maskLevels.get(0), visGray, affine,
                    irSize)) {
                // too little overlap to score is no confirmation (and the search would not move at all)
                shift = Double.isNaN(orientation.score(bestVisToIr)) ? Double.POSITIVE_INFINITY
                        : orientation.maximise(bestVisToIr).meanDistance(bestVisToIr, visSize);
            }
            double confidence = confidence(support, margin, shift);
            String reason = refusal(confidence, support, candidates.size(), bestRho, margin, shift);
            if (reason != null) {
                confidence = Math.min(confidence, ACCEPT_CONFIDENCE - 0.01);
            }
            return new Result(Calibration.of(model, irToVis, irSize, visSize), confidence, bestRho, support,
                    candidates.size(), margin, shift, reason);
        } finally {
            irLevels.forEach(Mat::close);
            visLevels.forEach(Mat::close);
            maskLevels.forEach(Mat::close);
            candidates.forEach(c -> c.warp.close());
        }
    }

    /**
     * Why a result is not accepted, or null when it is. Every criterion must hold: a lone
     * hypothesis or a near-zero correlation is no evidence, however distinct it is from its rivals.
     */
    static String refusal(double confidence, int support, int hypotheses, double correlation, double margin,
            double orientationShift) {
        if (confidence >= ACCEPT_CONFIDENCE && support >= MIN_SUPPORT && correlation >= MIN_CORRELATION
                && orientationShift <= MAX_ORIENTATION_SHIFT_PX) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "confidence %.2f (at least %.2f needed): %d of %d alignment"
                + " hypotheses agree (at least %d needed), correlation %.3f (at least %.2f needed), %.3f above the"
                + " best different alignment, edge orientations move it %.1f px (at most %.1f allowed)", confidence,
                ACCEPT_CONFIDENCE, support, hypotheses, MIN_SUPPORT, correlation, MIN_CORRELATION, margin, orientationShift,
                MAX_ORIENTATION_SHIFT_PX);
    }

    /**
     * Confidence in 0..1, the mean of three pieces of evidence: agreement (hypotheses converging
     * together), distinctness (the rival margin) and the orientation check confirming the result
     * (full credit up to half the allowed shift, none at the limit).
     */
    static double confidence(int support, double margin, double orientationShift) {
        double agreement = Math.min(1, (support - 1) / 2.0);
        double distinct = Math.min(1, Math.max(0, margin / 0.1));
        double confirmed = Math.min(1, Math.max(0, (MAX_ORIENTATION_SHIFT_PX - orientationShift) / (MAX_ORIENTATION_SHIFT_PX / 2)));
        return (agreement + distinct + confirmed) / 3;
    }

    private static void requireContent(Mat gray, String which) {
        try (Mat mean = new Mat(); Mat std = new Mat()) {
            meanStdDev(gray, mean, std);
            double sd;
            try (DoubleIndexer idx = std.createIndexer()) {
                sd = idx.get(0);
            }
            if (sd < MIN_STDDEV) {
                throw new IvfuseException(String.format(java.util.Locale.ROOT,
                        "the %s image is blank (gray-level standard deviation %.2f): nothing to register on", which, sd));
            }
        }
    }

    private static int searchLevel(List<Mat> levels) {
        int level = 0;
        while (level + 1 < levels.size() && levels.get(level).cols() > SEARCH_MAX_WIDTH) {
            level++;
        }
        return level;
    }

    /** A float warp (3x3, or 2x3 for affine) from a visible-to-IR mapping. */
    private static Mat initialWarp(Homography visToIr, boolean affine) {
        Mat warp = new Mat(affine ? 2 : 3, 3, CV_32F);
        try (FloatIndexer w = warp.createIndexer()) {
            for (int r = 0; r < warp.rows(); r++) {
                for (int c = 0; c < 3; c++) {
                    w.put(r, c, (float) visToIr.get(r, c));
                }
            }
        }
        return warp;
    }

    /**
     * Refines a warp given at level {@code from} down to level {@code to} (both included), in place,
     * leaving it in level {@code to}'s coordinates. Null when ECC fails to converge.
     */
    private static Double refine(Mat warp, int from, int to, List<Mat> ir, List<Mat> vis, List<Mat> masks,
            boolean affine) {
        return refine(warp, from, to, ir, vis, masks, affine, from);
    }

    /** As above for a warp given in level {@code warpLevel}'s coordinates (at or above {@code from}). */
    private static Double refine(Mat warp, int from, int to, List<Mat> ir, List<Mat> vis, List<Mat> masks,
            boolean affine, int warpLevel) {
        HomographyEstimator.scaleWarp(warp, Math.pow(2, warpLevel - from));
        double rho = 0;
        try (TermCriteria criteria = new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 100, 1e-6)) {
            for (int level = from; level >= to; level--) {
                try {
                    rho = HomographyEstimator.refine(vis.get(level), ir.get(level), warp, affine || level >= 2, criteria,
                            masks.get(level));
                } catch (RuntimeException e) {
                    return null;
                }
                if (level > to) {
                    HomographyEstimator.scaleWarp(warp, 2.0);
                }
            }
        }
        return rho;
    }

    /** A warp at {@code level} as a full-resolution visible-to-IR homography (on the visible grid). */
    private static Homography atFullResolution(Mat warp, int level, boolean affine) {
        try (Mat copy = warp.clone()) {
            HomographyEstimator.scaleWarp(copy, Math.pow(2, level));
            return HomographyEstimator.toHomography(copy, affine);
        }
    }
}
