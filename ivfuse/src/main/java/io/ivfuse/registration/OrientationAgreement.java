package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.magnitude;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.sqrt;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getAffineTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A second, independent opinion on an alignment: how well the gradient <em>orientations</em> of
 * the two images agree, as normalised gradient fields (Haber and Modersitzki, "Intensity gradient
 * based registration and fusion of multi-modal images", MICCAI 2006 / Methods Inf Med 2007):
 * n = grad I / sqrt(|grad I|^2 + eta^2), score = mean of (n_ir . n_vis)^2 over the overlap. The
 * square makes it blind to contrast inversion (orientation mod pi), and eta (the image's mean
 * gradient magnitude) keeps flat noise from voting. The ECC refinement matches edge
 * <em>strength</em> with another optimiser; when maximising this score from the ECC result moves it
 * by more than a pixel or two, the two measures disagree and the result is not to be trusted.
 *
 * <p>The maximisation is a pattern search (compass search: Torczon, SIAM J Optim 1997) over the
 * positions of the frame's corners in the IR image, at half resolution and then full
 * resolution: derivative-free, so it shares no machinery with ECC. Owns native images: close it.
 */
public final class OrientationAgreement implements AutoCloseable {
    /** Corner steps in pixels at the level searched, coarse to fine. */
    private static final double[] HALF_STEPS = {4, 2, 1, 0.5, 0.25};
    /** Full resolution only polishes: each evaluation there costs four times as much. */
    private static final double[] FULL_STEPS = {0.5};
    private static final int MAX_SWEEPS = 30;
    private static final double GRADIENT_SIGMA = 1.0;
    /** Below this fraction of the visible frame covered by IR scene the score is not evidence. */
    private static final double MIN_OVERLAP = 0.2;

    private final Level full;
    private final Level half;
    private final boolean affine;
    /** The IR image's own size (before resampling onto the visible grid). */
    private final FrameSize irSize;

    /**
     * @param irAtVis 8-bit gray IR image already resampled onto the visible grid
     * @param irMask  255 where irAtVis shows scene (see {@link EdgeImages#sceneMask})
     * @param visGray 8-bit gray visible image
     * @param affine  search an affine mapping (3 corners) instead of a homography (4)
     * @param irSize  the IR image's size before resampling
     */
    OrientationAgreement(Mat irAtVis, Mat irMask, Mat visGray, boolean affine, FrameSize irSize) {
        this.affine = affine;
        this.irSize = irSize;
        full = new Level(irAtVis, irMask, visGray, 1);
        try (Mat irHalf = new Mat(); Mat visHalf = new Mat(); Mat maskHalf = new Mat()) {
            pyrDown(irAtVis, irHalf);
            pyrDown(visGray, visHalf);
            try (Size halfSize = new Size(irHalf.cols(), irHalf.rows())) {
                resize(irMask, maskHalf, halfSize, 0, 0, INTER_NEAREST);
            }
            half = new Level(irHalf, maskHalf, visHalf, 0.5);
        }
    }

    /**
     * For an IR and a visible image as they come (8-bit gray or BGR, any sizes); mappings are then
     * given as IR-to-visible in their own pixels, as {@link Calibration#irToVis()}.
     */
    public static OrientationAgreement of(Mat ir, Mat vis, boolean affine) {
        try (Mat irGray = EdgeImages.gray(ir); Mat visGray = EdgeImages.gray(vis); Mat irAtVis = new Mat();
                Size size = new Size(vis.cols(), vis.rows())) {
            resize(irGray, irAtVis, size, 0, 0, ir.cols() > vis.cols() ? INTER_AREA : INTER_LINEAR);
            try (Mat mask = EdgeImages.sceneMask(irAtVis)) {
                return new OrientationAgreement(irAtVis, mask, visGray, affine, new FrameSize(ir.cols(), ir.rows()));
            }
        }
    }

    /** The score of an IR-to-visible mapping in the images' own pixels (see {@link #of}). */
    public double scoreIrToVis(Homography irToVis) {
        return score(visToIrAtVis(irToVis));
    }

    /** The local maximum of the score from an IR-to-visible mapping in the images' own pixels (see {@link #of}). */
    public Homography maximiseIrToVis(Homography irToVis) {
        return maximise(visToIrAtVis(irToVis)).inverse().after(atVis());
    }

    private Homography visToIrAtVis(Homography irToVis) {
        return atVis().after(irToVis.inverse());
    }

    private Homography atVis() {
        return Homography.rescaling(irSize, new FrameSize(full.width, full.height));
    }

    /**
     * The score of a visible-to-IR mapping (both on the visible grid, full resolution); NaN when
     * less than {@value #MIN_OVERLAP} of the visible frame is covered by IR scene.
     */
    double score(Homography visToIr) {
        return full.score(visToIr);
    }

    /**
     * The mapping that locally maximises the score, starting from {@code visToIr}: half resolution
     * first, then full.
     */
    Homography maximise(Homography visToIr) {
        Homography h = half.search(visToIr, HALF_STEPS, affine);
        return full.search(h, FULL_STEPS, affine);
    }

    @Override
    public void close() {
        full.close();
        half.close();
    }

    /** One resolution: the visible normalised gradient field and what the IR needs to be warped. */
    private static final class Level implements AutoCloseable {
        private final Mat ir = new Mat();
        private final Mat irMask;
        private final Mat visNx = new Mat();
        private final Mat visNy = new Mat();
        private final double irEta;
        private final double scale;
        private final int width;
        private final int height;
        private final Size size;
        // scratch reused by every evaluation
        private final Mat warped = new Mat();
        private final Mat warpedMask = new Mat();
        private final Mat nx = new Mat();
        private final Mat ny = new Mat();
        private final Mat dot = new Mat();
        private final Mat tmp = new Mat();
        private final Mat kernel;

        Level(Mat ir8, Mat mask, Mat vis8, double scale) {
            this.scale = scale;
            ir8.convertTo(ir, CV_32F);
            irMask = mask.clone();
            width = vis8.cols();
            height = vis8.rows();
            size = new Size(width, height);
            kernel = getStructuringElement(MORPH_RECT, new Size(5, 5));
            try (Mat vis = new Mat()) {
                vis8.convertTo(vis, CV_32F);
                normalisedGradient(vis, visNx, visNy, -1);
            }
            irEta = meanGradient(ir);
        }

        double score(Homography visToIrFull) {
            Homography h = atLevel(visToIrFull);
            try (Mat m = h.toMat(); Scalar zero = new Scalar(0.0)) {
                warpPerspective(ir, warped, m, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_REPLICATE, zero);
                warpPerspective(irMask, warpedMask, m, size, INTER_NEAREST | WARP_INVERSE_MAP, BORDER_CONSTANT, zero);
            }
            // the warped frame's border and the padding's edge are no scene edges
            erode(warpedMask, warpedMask, kernel);
            if (countNonZero(warpedMask) < MIN_OVERLAP * width * height) {
                return Double.NaN;
            }
            normalisedGradient(warped, nx, ny, irEta);
            multiply(nx, visNx, dot);
            multiply(ny, visNy, tmp);
            add(dot, tmp, dot);
            multiply(dot, dot, dot);
            try (Scalar s = mean(dot, warpedMask)) {
                return s.get(0);
            }
        }

        /** Compass search over corner positions; a step that improves nothing is halved. */
        Homography search(Homography start, double[] steps, boolean affine) {
            int corners = affine ? 3 : 4;
            double[][] c = frameCorners();
            double[] base = new double[2 * corners];
            double[] p = new double[3];
            Homography startAtLevel = atLevel(start);
            for (int k = 0; k < corners; k++) {
                startAtLevel.apply(c[k][0], c[k][1], p);
                base[2 * k] = p[0];
                base[2 * k + 1] = p[1];
            }
            double[][] directions = directions(c, corners);
            double best = score(start);
            Homography bestH = start;
            if (Double.isNaN(best)) {
                return start;
            }
            for (double step : steps) {
                for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
                    boolean improved = false;
                    for (double[] d : directions) {
                        for (double sign : new double[] {1, -1}) {
                            move(base, d, sign * step);
                            Homography h = fromLevel(fromCorners(c, base, corners));
                            double s = score(h);
                            if (s > best) {
                                best = s;
                                bestH = h;
                                improved = true;
                                break;
                            }
                            move(base, d, -sign * step);
                        }
                    }
                    if (!improved) {
                        break;
                    }
                }
            }
            return bestH;
        }

        /**
         * Search directions in corner space: the whole frame's translation, scale and rotation
         * first (the common misregistrations of a rig), then each corner coordinate on its own.
         * Moving one corner alone along a ridge of the score stalls where a joint move improves it.
         */
        private double[][] directions(double[][] c, int corners) {
            List<double[]> out = new ArrayList<>();
            double cx = (width - 1) / 2.0;
            double cy = (height - 1) / 2.0;
            double r = Math.hypot(cx, cy);
            double[] tx = new double[2 * corners];
            double[] ty = new double[2 * corners];
            double[] scale = new double[2 * corners];
            double[] rotation = new double[2 * corners];
            for (int k = 0; k < corners; k++) {
                tx[2 * k] = 1;
                ty[2 * k + 1] = 1;
                // unit displacement at the corners (which lie at distance r from the centre)
                scale[2 * k] = (c[k][0] - cx) / r;
                scale[2 * k + 1] = (c[k][1] - cy) / r;
                rotation[2 * k] = -(c[k][1] - cy) / r;
                rotation[2 * k + 1] = (c[k][0] - cx) / r;
            }
            out.addAll(List.of(tx, ty, scale, rotation));
            for (int i = 0; i < 2 * corners; i++) {
                double[] unit = new double[2 * corners];
                unit[i] = 1;
                out.add(unit);
            }
            return out.toArray(double[][]::new);
        }

        private static void move(double[] corners, double[] direction, double step) {
            for (int i = 0; i < corners.length; i++) {
                corners[i] += step * direction[i];
            }
        }

        private double[][] frameCorners() {
            return new double[][] {{0, 0}, {width - 1, 0}, {0, height - 1}, {width - 1, height - 1}};
        }

        private static Homography fromCorners(double[][] from, double[] to, int corners) {
            try (Point2f src = new Point2f(corners); Point2f dst = new Point2f(corners)) {
                for (int k = 0; k < corners; k++) {
                    src.position(k).x((float) from[k][0]).y((float) from[k][1]);
                    dst.position(k).x((float) to[2 * k]).y((float) to[2 * k + 1]);
                }
                src.position(0);
                dst.position(0);
                try (Mat m = corners == 3 ? getAffineTransform(src, dst) : getPerspectiveTransform(src, dst);
                        DoubleIndexer idx = m.createIndexer()) {
                    double[] v = new double[9];
                    for (int i = 0; i < m.rows() * 3; i++) {
                        v[i] = idx.get(i / 3, i % 3);
                    }
                    if (m.rows() == 2) {
                        v[8] = 1;
                    }
                    return Homography.of(v);
                }
            }
        }

        /** A full-resolution visible-to-IR mapping at this level: S H S^-1. */
        private Homography atLevel(Homography fullRes) {
            return scaling(scale).after(fullRes).after(scaling(1 / scale));
        }

        private Homography fromLevel(Homography atLevel) {
            return scaling(1 / scale).after(atLevel).after(scaling(scale));
        }

        private static Homography scaling(double s) {
            return Homography.of(s, 0, 0, 0, s, 0, 0, 0, 1);
        }

        /** n = grad(blurred image) / sqrt(|grad|^2 + eta^2); eta < 0: the image's own mean gradient magnitude. */
        private void normalisedGradient(Mat image, Mat outX, Mat outY, double eta) {
            try (Mat norm = new Mat()) {
                gradient(image, outX, outY);
                double e = eta >= 0 ? eta : meanMagnitude(outX, outY);
                multiply(outX, outX, norm);
                multiply(outY, outY, tmp);
                add(norm, tmp, norm);
                norm.convertTo(norm, -1, 1, e * e);
                sqrt(norm, norm);
                divide(outX, norm, outX);
                divide(outY, norm, outY);
            }
        }

        private static double meanGradient(Mat image) {
            try (Mat gx = new Mat(); Mat gy = new Mat()) {
                gradient(image, gx, gy);
                return meanMagnitude(gx, gy);
            }
        }

        /** The gradient of the image after a Gaussian blur of {@value #GRADIENT_SIGMA} px. */
        private static void gradient(Mat image, Mat gx, Mat gy) {
            try (Mat smooth = new Mat(); Size auto = new Size(0, 0)) {
                GaussianBlur(image, smooth, auto, GRADIENT_SIGMA);
                Sobel(smooth, gx, CV_32F, 1, 0, 3, 1, 0, BORDER_REPLICATE);
                Sobel(smooth, gy, CV_32F, 0, 1, 3, 1, 0, BORDER_REPLICATE);
            }
        }

        private static double meanMagnitude(Mat gx, Mat gy) {
            try (Mat mag = new Mat()) {
                magnitude(gx, gy, mag);
                try (Scalar s = mean(mag)) {
                    return Math.max(s.get(0), 1e-3);
                }
            }
        }

        @Override
        public void close() {
            for (Mat m : new Mat[] {ir, irMask, visNx, visNy, warped, warpedMask, nx, ny, dot, tmp, kernel}) {
                m.close();
            }
            size.close();
        }
    }
}
