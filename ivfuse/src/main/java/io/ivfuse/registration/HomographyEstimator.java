package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.magnitude;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
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
    /** Edge strength is divided by its local mean over a Gaussian window of this sigma (pixels). */
    private static final double LOCAL_MEAN_SIGMA = 8;
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
        try (Mat irGray = gray(ir); Mat visGray = gray(vis); Mat irAtVis = new Mat();
                Size size = new Size(visSize.width(), visSize.height())) {
            boolean shrink = irSize.width() > visSize.width();
            resize(irGray, irAtVis, size, 0, 0, shrink ? INTER_AREA : INTER_LINEAR);
            int levels = levelCount(visSize);
            edgePyramid(irAtVis, levels, irLevels);
            edgePyramid(visGray, levels, visLevels);

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
     * One ECC run, template = IR, input = visible, so the warp maps IR coordinates to visible ones.
     * An affine run on a 3x3 warp refines its top two rows and leaves the projective row as it is.
     */
    private static double refine(Mat ir, Mat vis, Mat warp, boolean affineOnly, TermCriteria criteria, Mat noMask) {
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

    private static int levelCount(FrameSize size) {
        int levels = 1;
        int side = Math.min(size.width(), size.height());
        while (levels < MAX_LEVELS && side / 2 >= MIN_LEVEL_SIDE) {
            side /= 2;
            levels++;
        }
        return levels;
    }

    private static Mat gray(Mat image) {
        if (image.empty() || image.depth() != CV_8U || (image.channels() != 1 && image.channels() != 3)) {
            throw new IllegalArgumentException("expected an 8-bit gray or BGR image, got " + image);
        }
        Mat out = new Mat();
        if (image.channels() == 3) {
            cvtColor(image, out, COLOR_BGR2GRAY);
        } else {
            image.copyTo(out);
        }
        return out;
    }

    /** Edge strength of each level of the image's Gaussian pyramid (pyrDown: x_coarse = x_fine / 2). */
    private static void edgePyramid(Mat image, int levels, List<Mat> out) {
        Mat level = new Mat();
        image.convertTo(level, CV_32F);
        for (int i = 0; i < levels; i++) {
            out.add(edgeStrength(level));
            if (i + 1 < levels) {
                Mat next = new Mat();
                pyrDown(level, next);
                level.close();
                level = next;
            }
        }
        level.close();
    }

    /**
     * Gradient magnitude divided by its local mean (plus 1 gray level, so flat noise stays weak).
     * The normalisation makes a faint IR edge weigh as much as the strong texture of the visible
     * image, which otherwise pulls the fit off; ECC then needs edges in the same places, not of the
     * same strength.
     */
    private static Mat edgeStrength(Mat image) {
        try (Mat smooth = new Mat(); Mat dx = new Mat(); Mat dy = new Mat(); Mat localMean = new Mat();
                Size k = new Size(3, 3); Size auto = new Size(0, 0)) {
            GaussianBlur(image, smooth, k, 0);
            Sobel(smooth, dx, CV_32F, 1, 0, 3, 1, 0, BORDER_REPLICATE);
            Sobel(smooth, dy, CV_32F, 0, 1, 3, 1, 0, BORDER_REPLICATE);
            Mat mag = new Mat();
            magnitude(dx, dy, mag);
            GaussianBlur(mag, localMean, auto, LOCAL_MEAN_SIGMA);
            localMean.convertTo(localMean, -1, 1, 1.0);
            divide(mag, localMean, mag);
            return mag;
        }
    }

    /** Re-expresses a warp for images scaled by {@code s} (x' = s x): W' = S W S^-1. */
    private static void scaleWarp(Mat warp, double s) {
        try (FloatIndexer w = warp.createIndexer()) {
            w.put(0, 2, (float) (w.get(0, 2) * s));
            w.put(1, 2, (float) (w.get(1, 2) * s));
            if (warp.rows() == 3) {
                w.put(2, 0, (float) (w.get(2, 0) / s));
                w.put(2, 1, (float) (w.get(2, 1) / s));
            }
        }
    }

    private static Homography toHomography(Mat warp, boolean affine) {
        double[] v = new double[affine ? 6 : 9];
        try (FloatIndexer w = warp.createIndexer()) {
            for (int i = 0; i < v.length; i++) {
                v[i] = w.get(i / 3, i % 3);
            }
        }
        return affine ? Homography.affine(v) : Homography.of(v);
    }
}
