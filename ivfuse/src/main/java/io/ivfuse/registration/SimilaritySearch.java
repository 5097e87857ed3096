package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.TM_CCOEFF_NORMED;
import static org.bytedeco.opencv.global.opencv_imgproc.matchTemplate;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Coarse global search for the IR-to-visible similarity (scale, rotation, translation) on small
 * edge images: for every scale and rotation of a grid the IR edge image is rotated and scaled about
 * its centre, and the translation is where its central part best matches the (zero-padded) visible
 * edge image by normalised cross-correlation ({@code matchTemplate}, TM_CCOEFF_NORMED). This is the
 * exhaustive multi-hypothesis initialisation that dense refinement (ECC) needs when the rig is far
 * from aligned: ECC only converges from within a few pixels. The best distinct hypotheses are kept,
 * not just the best one, since across modalities the true one is often not the top score.
 */
final class SimilaritySearch {
    static final double MIN_SCALE = 0.70;
    static final double MAX_SCALE = 1.45;
    private static final double SCALE_STEP = 1.05;
    static final double MAX_ANGLE_DEGREES = 12;
    private static final double ANGLE_STEP_DEGREES = 2;
    /** The visible image is padded by this fraction of its size on each side: translations searched. */
    private static final double PAD_FRACTION = 0.25;
    /** The template is the warped IR without this fraction of its size on each side. */
    private static final double CROP_FRACTION = 0.12;

    private static final double BLUR_SIGMA = 1.5;

    private SimilaritySearch() {
    }

    /**
     * IR to visible at the search's pixel scale: x_vis = s R(angle) (x_ir - c) + c + t, with c the
     * frame centre.
     */
    record Hypothesis(double scale, double angleDegrees, double tx, double ty, double score) {
        Homography irToVis(int width, int height) {
            double cx = (width - 1) / 2.0;
            double cy = (height - 1) / 2.0;
            double a = Math.toRadians(angleDegrees);
            double c = scale * Math.cos(a);
            double s = scale * Math.sin(a);
            return Homography.of(c, -s, cx + tx - c * cx + s * cy, s, c, cy + ty - s * cx - c * cy, 0, 0, 1);
        }

        boolean near(Hypothesis o) {
            return Math.abs(Math.log(scale / o.scale)) < 0.08 && Math.abs(angleDegrees - o.angleDegrees) < 4
                    && Math.hypot(tx - o.tx, ty - o.ty) < 4;
        }
    }

    /**
     * @param irEdges  IR edge image, already resampled onto the visible grid (same size as visEdges)
     * @param visEdges visible edge image (CV_32F)
     * @param keep     how many distinct hypotheses to return, best score first
     */
    static List<Hypothesis> search(Mat irEdges, Mat irMask, Mat visEdges, int keep) {
        int w = visEdges.cols();
        int h = visEdges.rows();
        int padX = (int) Math.round(w * PAD_FRACTION);
        int padY = (int) Math.round(h * PAD_FRACTION);
        int cropX = (int) Math.round(w * CROP_FRACTION);
        int cropY = (int) Math.round(h * CROP_FRACTION);
        List<Hypothesis> all = new ArrayList<>();
        try (Mat padded = new Mat(); Mat warped = new Mat(); Mat warpedMask = new Mat(); Mat scores = new Mat();
                Mat ir = blurred(irEdges); Mat mask = new Mat(); Scalar zero = new Scalar(0.0);
                Size size = new Size(w, h); Rect crop = new Rect(cropX, cropY, w - 2 * cropX, h - 2 * cropY);
                DoublePointer max = new DoublePointer(1); Point maxAt = new Point(); Mat noMask = new Mat()) {
            try (Mat vis = blurred(visEdges)) {
                copyMakeBorder(vis, padded, padY, padY, padX, padX, BORDER_CONSTANT, zero);
            }
            irMask.convertTo(mask, CV_32F, 1 / 255.0, 0);
            int scaleSteps = (int) Math.floor(Math.log(MAX_SCALE / MIN_SCALE) / Math.log(SCALE_STEP));
            for (int si = 0; si <= scaleSteps; si++) {
                double scale = MIN_SCALE * Math.pow(SCALE_STEP, si);
                for (double angle = -MAX_ANGLE_DEGREES; angle <= MAX_ANGLE_DEGREES + 1e-9; angle += ANGLE_STEP_DEGREES) {
                    Hypothesis at = new Hypothesis(scale, angle, 0, 0, 0);
                    try (Mat m = affineRows(at.irToVis(w, h))) {
                        warpAffine(ir, warped, m, size, INTER_LINEAR, BORDER_CONSTANT, zero);
                        warpAffine(mask, warpedMask, m, size, INTER_NEAREST, BORDER_CONSTANT, zero);
                    }
                    // the mask keeps the IR frame's outside (and its padding) out of the correlation
                    try (Mat template = new Mat(warped, crop); Mat templateMask = new Mat(warpedMask, crop)) {
                        matchTemplate(padded, template, scores, TM_CCOEFF_NORMED, templateMask);
                        minMaxLoc(scores, null, max, null, maxAt, noMask);
                        // template top-left (cropX, cropY) of the warped IR lands at (maxAt - pad) in the visible frame
                        double tx = maxAt.x() - padX - cropX;
                        double ty = maxAt.y() - padY - cropY;
                        all.add(new Hypothesis(scale, angle, tx, ty, max.get()));
                    }
                }
            }
        }
        all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        List<Hypothesis> kept = new ArrayList<>();
        for (Hypothesis candidate : all) {
            if (kept.size() == keep) {
                break;
            }
            if (kept.stream().noneMatch(candidate::near)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    /** Edges blurred so that grid steps of a pixel or two still overlap. */
    private static Mat blurred(Mat edges) {
        Mat out = new Mat();
        try (Size auto = new Size(0, 0)) {
            GaussianBlur(edges, out, auto, BLUR_SIGMA);
        }
        return out;
    }

    private static Mat affineRows(Homography h) {
        Mat m = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
        try (DoubleIndexer idx = m.createIndexer()) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    idx.put(r, c, h.get(r, c));
                }
            }
        }
        return m;
    }
}
