package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_video.MOTION_AFFINE;
import static org.bytedeco.opencv.global.opencv_video.MOTION_HOMOGRAPHY;
import static org.bytedeco.opencv.global.opencv_video.findTransformECC;

import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

/**
 * Estimates the IR-to-visible {@link Calibration} from one IR image and one visible image of the
 * same scene, for calibrating a camera pair.
 *
 * <p>Method: the IR image is resized to the visible size, both are turned into locally normalised
 * gradient-magnitude images (edges are where the two modalities agree; gradient magnitude is also
 * blind to the contrast inversions common between IR and visible), and OpenCV's
 * {@code findTransformECC} (enhanced correlation coefficient, invariant to gain and offset) refines
 * the transform from coarse to fine over a Gaussian pyramid, starting from identity. The coarse
 * levels fit an affine model only (perspective terms are poorly constrained there and drift); the
 * two finest fit the full homography. It therefore expects a roughly aligned pair (misregistered
 * by a few percent of the frame, as cameras mounted side by side are), not arbitrary viewpoints,
 * and a far-field scene, where one homography holds for the whole frame.
 */
public final class HomographyEstimator {
    /** Pyramid levels stop when the smaller side would drop below this. */
    private static final int MIN_LEVEL_SIDE = 48;
    private static final int MAX_LEVELS = 5;
    /** Pyramid levels from this one up (coarser) fit only an affine model, even for a homography. */
    private static final int FIRST_AFFINE_ONLY_LEVEL = 2;
    /** ECC's own Gaussian pre-filter (pixels, odd). */
    private static final int ECC_FILTER_SIZE = 5;

    private final int maxIterations;
    private final double epsilon;

    public HomographyEstimator() {
        this(200, 1e-7);
    }

    /**
     * @param maxIterations ECC iterations per pyramid level at most
     * @param epsilon       stop a level when the correlation improves by less than this
     */
    public HomographyEstimator(int maxIterations, double epsilon) {
        this.maxIterations = maxIterations;
        this.epsilon = epsilon;
    }

    /**
     * The estimated calibration and how well it fits.
     *
     * @param calibration IR-to-visible matrix, with {@code irSize} and {@code visSize} set to the
     *                    input images' sizes
     * @param correlation ECC correlation coefficient between the edge-strength images once aligned,
     *                    at full resolution (1 = identical up to gain and offset)
     * @param levels      pyramid levels used
     */
    public record Estimate(Calibration calibration, double correlation, int levels) {
    }

    /**
     * @param ir    the IR image (8-bit, gray or BGR), any size
     * @param vis   the visible image (8-bit, gray or BGR)
     * @param model HOMOGRAPHY (8 parameters) or AFFINE (6)
     * @throws IvfuseException when ECC does not converge (images unrelated or too far apart)
     */
    public Estimate estimate(Mat ir, Mat vis, Calibration.Model model) {
        FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
        FrameSize visSize = new FrameSize(vis.cols(), vis.rows());
        List<Mat> irLevels = new ArrayList<>();
        List<Mat> visLevels = new ArrayList<>();
        try (Mat irGray = EdgeImages.gray(ir); Mat visGray = EdgeImages.gray(vis); Mat irAtVis = new Mat();
                Size size = new Size(visSize.width(), visSize.height())) {
            boolean shrink = irSize.width() > visSize.width();
            resize(irGray, irAtVis, size, 0, 0, shrink ? INTER_AREA : INTER_LINEAR);
            int levels = EdgeImages.levelCount(visSize, MIN_LEVEL_SIDE, MAX_LEVELS);
            EdgeImages.edgePyramid(irAtVis, levels, irLevels);
            EdgeImages.edgePyramid(visGray, levels, visLevels);

            boolean affine = model == Calibration.Model.AFFINE;
            double correlation = 0;
            try (Mat warp = Mat.eye(affine ? 2 : 3, 3, CV_32F).asMat();
                    TermCriteria criteria = new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, maxIterations, epsilon);
                    Mat noMask = new Mat()) {
                scaleWarp(warp, Math.pow(0.5, levels - 1));
                for (int level = levels - 1; level >= 0; level--) {
                    try {
                        correlation = refine(irLevels.get(level), visLevels.get(level), warp,
                                affine || level >= FIRST_AFFINE_ONLY_LEVEL, criteria, noMask);
                    } catch (RuntimeException e) {
                        throw new IvfuseException("could not register the IR image onto the visible image (pyramid level "
                                + level + "): " + CalibrationFile.cvMessage(e), e);
                    }
                    if (level > 0) {
                        scaleWarp(warp, 2.0);
                    }
                }
                Homography irAtVisToVis = toHomography(warp, affine);
                Homography h = irAtVisToVis.after(Homography.rescaling(irSize, visSize));
                String problem = Calibration.problem(model, h, irSize, visSize);
                if (problem != null) {
                    throw new IvfuseException("the estimated registration is unusable: " + problem);
                }
                return new Estimate(Calibration.of(model, h, irSize, visSize), correlation, levels);
            }
        } finally {
            irLevels.forEach(Mat::close);
            visLevels.forEach(Mat::close);
        }
    }

    /**
     * One ECC run; the warp maps template coordinates to input ones (here template = IR, input =
     * visible, so IR to visible). An affine run on a 3x3 warp refines its top two rows and leaves
     * the projective row as it is. The mask marks the input's valid pixels (empty: all).
     */
    static double refine(Mat ir, Mat vis, Mat warp, boolean affineOnly, TermCriteria criteria, Mat noMask) {
        if (!affineOnly) {
            return findTransformECC(ir, vis, warp, MOTION_HOMOGRAPHY, criteria, noMask, ECC_FILTER_SIZE);
        }
        if (warp.rows() == 2) {
            return findTransformECC(ir, vis, warp, MOTION_AFFINE, criteria, noMask, ECC_FILTER_SIZE);
        }
        try (Mat top = warp.rowRange(0, 2); Mat affinePart = top.clone()) {
            double rho = findTransformECC(ir, vis, affinePart, MOTION_AFFINE, criteria, noMask, ECC_FILTER_SIZE);
            affinePart.copyTo(top);
            return rho;
        }
    }

    /** Re-expresses a warp for images scaled by {@code s} (x' = s x): W' = S W S^-1. */
    static void scaleWarp(Mat warp, double s) {
        try (FloatIndexer w = warp.createIndexer()) {
            w.put(0, 2, (float) (w.get(0, 2) * s));
            w.put(1, 2, (float) (w.get(1, 2) * s));
            if (warp.rows() == 3) {
                w.put(2, 0, (float) (w.get(2, 0) / s));
                w.put(2, 1, (float) (w.get(2, 1) / s));
            }
        }
    }

    static Homography toHomography(Mat warp, boolean affine) {
        double[] v = new double[affine ? 6 : 9];
        try (FloatIndexer w = warp.createIndexer()) {
            for (int i = 0; i < v.length; i++) {
                v[i] = w.get(i / 3, i % 3);
            }
        }
        return affine ? Homography.affine(v) : Homography.of(v);
    }
}
