package io.ivfuse.registration.ui;

import io.ivfuse.registration.Correspondences;
import io.ivfuse.registration.Homography;
import io.ivfuse.registration.PointCalibrator;
import java.util.ArrayList;
import java.util.List;

/**
 * What the page shows of a fit (as JSON): the RMS error of the inliers, each pair's reprojection
 * error and whether RANSAC rejected it, the matrix, and the same summary line {@code --points} prints.
 */
record FitReport(int pairs, double rmsPx, List<PairError> points, double[][] matrix, String summary) {

    /** One pair: how far its IR point lands from its visible point, visible pixels. */
    record PairError(double errorPx, boolean outlier) {
    }

    static FitReport of(PointCalibrator.Fit fit, List<Correspondences.Pair> pairs) {
        List<PairError> points = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            points.add(new PairError(fit.errorOf(pairs.get(i)), fit.outliers().contains(i)));
        }
        Homography h = fit.calibration().irToVis();
        double[][] matrix = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                matrix[r][c] = h.get(r, c);
            }
        }
        return new FitReport(pairs.size(), fit.rmsError(), points, matrix, fit.summary());
    }
}
