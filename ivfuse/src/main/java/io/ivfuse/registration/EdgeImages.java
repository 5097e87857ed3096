package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.magnitude;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The modality-independent image the registration matches: locally normalised gradient magnitude.
 * Edges are where infrared and visible images agree (object outlines), and the magnitude is blind
 * to the contrast inversions common between them. The idea of registering multimodal images on
 * gradient information rather than intensities follows Pluim, Maintz and Viergever, "Image
 * registration by maximization of combined mutual information and gradient information" (IEEE TMI
 * 2000), and Irani and Anandan, "Robust multi-sensor image alignment" (ICCV 1998).
 */
final class EdgeImages {
    /** Edge strength is divided by its local mean over a Gaussian window of this sigma (pixels). */
    private static final double LOCAL_MEAN_SIGMA = 8;
    /** Pixels this close to padding (exact zeros) are not trusted: the padding's border is no scene edge. */
    private static final int PADDING_MARGIN = 4;

    private EdgeImages() {
    }

    /** An 8-bit gray copy of an 8-bit gray or BGR image. */
    static Mat gray(Mat image) {
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

    /** Pyramid levels for a frame: halve until the smaller side would drop below {@code minSide}. */
    static int levelCount(FrameSize size, int minSide, int maxLevels) {
        int levels = 1;
        int side = Math.min(size.width(), size.height());
        while (levels < maxLevels && side / 2 >= minSide) {
            side /= 2;
            levels++;
        }
        return levels;
    }

    /** Edge strength of each level of the image's Gaussian pyramid (pyrDown: x_coarse = x_fine / 2). */
    static void edgePyramid(Mat image, int levels, List<Mat> out) {
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
     * image, which otherwise pulls the fit off; the match then needs edges in the same places, not
     * of the same strength.
     */
    static Mat edgeStrength(Mat image) {
        Mat mag = new Mat();
        try (Scratch scratch = new Scratch()) {
            edgeStrength(image, mag, scratch);
        }
        return mag;
    }

    /** As {@link #edgeStrength(Mat)}, into {@code out}, with the caller's buffers: nothing is allocated once they have their sizes. */
    static void edgeStrength(Mat image, Mat out, Scratch s) {
        GaussianBlur(image, s.smooth, s.kernel, 0);
        Sobel(s.smooth, s.dx, CV_32F, 1, 0, 3, 1, 0, BORDER_REPLICATE);
        Sobel(s.smooth, s.dy, CV_32F, 0, 1, 3, 1, 0, BORDER_REPLICATE);
        magnitude(s.dx, s.dy, out);
        GaussianBlur(out, s.localMean, s.auto, LOCAL_MEAN_SIGMA);
        s.localMean.convertTo(s.localMean, -1, 1, 1.0);
        divide(out, s.localMean, out);
    }

    /** The intermediate images of {@link #edgeStrength(Mat, Mat, Scratch)}, for callers that reuse them. */
    static final class Scratch implements AutoCloseable {
        final Mat smooth = new Mat();
        final Mat dx = new Mat();
        final Mat dy = new Mat();
        final Mat localMean = new Mat();
        final Size kernel = new Size(3, 3);
        final Size auto = new Size(0, 0);

        @Override
        public void close() {
            smooth.close();
            dx.close();
            dy.close();
            localMean.close();
            kernel.close();
            auto.close();
        }
    }

    /**
     * Where an 8-bit gray image holds scene rather than padding: 255 except on exact zeros and a
     * few pixels around them. Frames warped or letterboxed by other tools are padded with black;
     * the border of that padding is a strong edge the other camera does not see.
     */
    static Mat sceneMask(Mat gray8) {
        Mat mask = new Mat();
        threshold(gray8, mask, 0, 255, THRESH_BINARY);
        try (Size k = new Size(2 * PADDING_MARGIN + 1, 2 * PADDING_MARGIN + 1);
                Mat kernel = getStructuringElement(MORPH_RECT, k)) {
            erode(mask, mask, kernel);
        }
        return mask;
    }

    /** The mask at each pyramid level (nearest-neighbour halving, like the edge pyramid's sizes). */
    static void maskPyramid(Mat mask, List<Mat> edgeLevels, List<Mat> out) {
        for (Mat level : edgeLevels) {
            Mat m = new Mat();
            try (Size size = new Size(level.cols(), level.rows())) {
                resize(mask, m, size, 0, 0, INTER_NEAREST);
            }
            out.add(m);
        }
    }

    /** Zeroes the edge image outside the mask (in place). */
    static void applyMask(Mat edges, Mat mask) {
        try (Mat scale = new Mat()) {
            mask.convertTo(scale, CV_32F, 1 / 255.0, 0);
            multiply(edges, scale, edges);
        }
    }
}
