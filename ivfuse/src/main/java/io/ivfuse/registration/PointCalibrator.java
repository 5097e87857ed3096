package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffine2D;
import static org.bytedeco.opencv.global.opencv_calib3d.findHomography;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A calibration from clicked or measured IR/visible point pairs, fitted robustly: RANSAC (Fischler
 * and Bolles, CACM 1981) through OpenCV's {@code findHomography} (homography, 4 pairs at least) or
 * {@code estimateAffine2D} (affine, 3 at least), which also refine the model on the inliers.
 */
public final class PointCalibrator {
    /** A pair whose reprojection error exceeds this many visible pixels is an outlier. */
    public static final double OUTLIER_PX = 3;
    /** Points whose spread across their best line is under this many pixels are collinear. */
    private static final double MIN_SPREAD_PX = 2;

    /**
     * @param calibration the fitted mapping
     * @param rmsError    RMS reprojection error of the inliers, visible pixels
     * @param outliers    0-based indices of the pairs RANSAC rejected
     */
    public record Fit(Calibration calibration, double rmsError, List<Integer> outliers, int pairs) {
        /** One line for the user: the RMS error and which pairs (numbered from 1) are outliers. */
        public String summary() {
            return String.format(Locale.ROOT, "RMS reprojection error %.3f px over %d inlier pairs; %d outliers%s",
                    rmsError, pairs - outliers.size(), outliers.size(), outliers.isEmpty() ? ""
                            : " (pairs " + outliers.stream().map(i -> String.valueOf(i + 1)).collect(Collectors.joining(", "))
                                    + ", more than " + OUTLIER_PX + " px off)");
        }

        /** How far the pair's IR point, mapped by the calibration, lands from its visible point (visible pixels). */
        public double errorOf(Correspondences.Pair p) {
            double[] q = new double[3];
            calibration.irToVis().apply(p.xIr(), p.yIr(), q);
            return Math.hypot(q[0] - p.xVis(), q[1] - p.yVis());
        }
    }

    public Fit fit(List<Correspondences.Pair> pairs, FrameSize irSize, FrameSize visSize, Calibration.Model model) {
        boolean affine = model == Calibration.Model.AFFINE;
        int needed = affine ? 3 : 4;
        if (pairs.size() < needed) {
            throw new IvfuseException(pairs.size() + " point pair" + (pairs.size() == 1 ? "" : "s") + " given; "
                    + (affine ? "an affine calibration" : "a homography") + " needs at least " + needed);
        }
        for (int i = 0; i < pairs.size(); i++) {
            Correspondences.Pair p = pairs.get(i);
            requireInside(i, "IR", p.xIr(), p.yIr(), irSize);
            requireInside(i, "visible", p.xVis(), p.yVis(), visSize);
        }
        requireSpread(pairs, true);
        requireSpread(pairs, false);
        try (Mat from = new Mat(pairs.size(), 2, CV_64F); Mat to = new Mat(pairs.size(), 2, CV_64F);
                Mat inliers = new Mat()) {
            try (DoubleIndexer f = from.createIndexer(); DoubleIndexer t = to.createIndexer()) {
                for (int i = 0; i < pairs.size(); i++) {
                    Correspondences.Pair p = pairs.get(i);
                    f.put(i, 0, p.xIr());
                    f.put(i, 1, p.yIr());
                    t.put(i, 0, p.xVis());
                    t.put(i, 1, p.yVis());
                }
            }
            Homography h;
            try (Mat m = affine ? estimateAffine2D(from, to, inliers, RANSAC, OUTLIER_PX, 2000, 0.999, 10)
                    : findHomography(from, to, RANSAC, OUTLIER_PX, inliers, 2000, 0.999)) {
                if (m.empty()) {
                    throw new IvfuseException("the point pairs fit no " + (affine ? "affine mapping" : "homography")
                            + " (degenerate configuration: are the points on one line or duplicated?)");
                }
                h = toHomography(m, affine);
            }
            String problem = Calibration.problem(model, h, irSize, visSize);
            if (problem != null) {
                throw new IvfuseException("the point pairs give an unusable calibration: " + problem);
            }
            List<Integer> outliers = new ArrayList<>();
            double sum = 0;
            int count = 0;
            double[] q = new double[3];
            try (UByteIndexer in = inliers.createIndexer()) {
                for (int i = 0; i < pairs.size(); i++) {
                    if (in.get(i) == 0) {
                        outliers.add(i);
                        continue;
                    }
                    Correspondences.Pair p = pairs.get(i);
                    h.apply(p.xIr(), p.yIr(), q);
                    sum += Math.pow(q[0] - p.xVis(), 2) + Math.pow(q[1] - p.yVis(), 2);
                    count++;
                }
            }
            if (count < needed) {
                throw new IvfuseException("only " + count + " of " + pairs.size() + " point pairs agree on one mapping"
                        + " (within " + OUTLIER_PX + " px); check the pairs");
            }
            return new Fit(Calibration.of(model, h, irSize, visSize), Math.sqrt(sum / count), outliers, pairs.size());
        }
    }

    private static void requireInside(int i, String which, double x, double y, FrameSize size) {
        if (x < -0.5 || y < -0.5 || x > size.width() - 0.5 || y > size.height() - 0.5) {
            throw new IvfuseException(String.format(Locale.ROOT, "point pair %d: %s point (%.1f, %.1f) is outside the %s"
                    + " image (%dx%d)", i + 1, which, x, y, which, size.width(), size.height()));
        }
    }

    /** The points' spread across their principal axis (smaller eigenvalue of the covariance) must not vanish. */
    private static void requireSpread(List<Correspondences.Pair> pairs, boolean ir) {
        double mx = 0;
        double my = 0;
        for (Correspondences.Pair p : pairs) {
            mx += ir ? p.xIr() : p.xVis();
            my += ir ? p.yIr() : p.yVis();
        }
        mx /= pairs.size();
        my /= pairs.size();
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (Correspondences.Pair p : pairs) {
            double dx = (ir ? p.xIr() : p.xVis()) - mx;
            double dy = (ir ? p.yIr() : p.yVis()) - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        sxx /= pairs.size();
        syy /= pairs.size();
        sxy /= pairs.size();
        double minEigen = (sxx + syy) / 2 - Math.sqrt(Math.pow((sxx - syy) / 2, 2) + sxy * sxy);
        double spread = Math.sqrt(Math.max(0, minEigen));
        if (spread < MIN_SPREAD_PX) {
            throw new IvfuseException(String.format(Locale.ROOT, "the %s points are collinear (they lie within %.2f px of"
                    + " one line): spread them over the frame", ir ? "IR" : "visible", spread));
        }
    }

    private static Homography toHomography(Mat m, boolean affine) {
        double[] v = new double[affine ? 6 : 9];
        try (DoubleIndexer idx = m.createIndexer()) {
            for (int i = 0; i < v.length; i++) {
                v[i] = idx.get(i / 3, i % 3);
            }
        }
        return affine ? Homography.affine(v) : Homography.of(v);
    }
}
