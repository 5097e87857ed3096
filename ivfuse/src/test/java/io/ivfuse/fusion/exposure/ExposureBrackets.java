package io.ivfuse.fusion.exposure;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.YuvPlanes;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Synthetic exposure brackets from one real 8-bit image, for the exposure engines' tests: the
 * image is taken as display-referred (gamma 2.2), scaled in linear light by 2^-ev (under) and
 * 2^+ev (over), re-encoded and clipped to 8 bits, so the under-exposure loses the shadows to
 * quantisation and the over-exposure clips the highlights. And the measures the tests hold the
 * fused image to, on luminance (BT.601 gray, [0, 1]).
 */
public final class ExposureBrackets {
    static final double GAMMA = 2.2;

    private ExposureBrackets() {
    }

    /**
     * The image exposed {@code stops} stops brighter than the exposure that puts its mean
     * luminance at mid-grey, so a dark or bright source image still gives one under- and one
     * over-exposed frame (and not, say, an over-exposure that is merely well exposed).
     */
    public static Mat centredExposure(Mat image, double stops) {
        double centre = GAMMA * Math.log(0.5 / Math.max(1e-3, meanLuma(image))) / Math.log(2);
        return exposed(image, centre + stops);
    }

    /** The image exposed {@code stops} stops brighter (negative: darker), clipped to 8 bits. */
    public static Mat exposed(Mat image, double stops) {
        try (Mat lut = new Mat(1, 256, CV_8U)) {
            ByteBuffer t = lut.createBuffer();
            double gain = Math.pow(2, stops);
            for (int v = 0; v < 256; v++) {
                double linear = Math.pow(v / 255.0, GAMMA) * gain;
                double out = 255 * Math.pow(Math.min(1, linear), 1 / GAMMA);
                t.put(v, (byte) Math.round(out));
            }
            Mat out = new Mat();
            opencv_core.LUT(image, lut, out);
            return out;
        }
    }

    /** Luminance in [0, 1], float. */
    static Mat luma(Mat bgr) {
        try (Mat gray = new Mat()) {
            if (bgr.channels() == 3) {
                opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
            } else {
                bgr.copyTo(gray);
            }
            Mat f = new Mat();
            gray.convertTo(f, CV_32F, 1 / 255.0, 0);
            return f;
        }
    }

    /** Mean luminance in [0, 1]. */
    static double meanLuma(Mat bgr) {
        try (Mat y = luma(bgr); Scalar m = opencv_core.mean(y)) {
            return m.get(0);
        }
    }

    /** Mean well-exposedness of the luminance: exp(-(y - 0.5)^2 / (2 0.2^2)), Mertens' measure, in (0, 1]. */
    static double wellExposedness(Mat bgr) {
        try (Mat y = luma(bgr); Mat d = new Mat(); Mat e = new Mat()) {
            opencv_core.subtract(y, new Mat(y.size(), CV_32F, new Scalar(0.5)), d);
            opencv_core.multiply(d, d, e, -1 / (2 * 0.2 * 0.2), -1);
            opencv_core.exp(e, e);
            try (Scalar m = opencv_core.mean(e)) {
                return m.get(0);
            }
        }
    }

    /**
     * Gradient energy over the squared mean luminance: detail as contrast, so a frame that is
     * merely brighter (every gradient scaled with it) does not count as more detailed.
     */
    static double relativeDetail(Mat bgr) {
        double mean = meanLuma(bgr);
        return gradientEnergy(bgr) / (mean * mean);
    }

    /** BGR as YCrCb 4:4:4 planes (full range), or with chroma area-halved (4:2:0). */
    public static YuvPlanes planes(Mat bgr, boolean subsampled) {
        YuvPlanes p = YuvPlanes.allocate(bgr.cols(), bgr.rows(), subsampled);
        try (Mat ycrcb = new Mat(); MatViews views = new MatViews(); MatVector src = new MatVector(1);
                MatVector dst = new MatVector(3); Mat cr = new Mat(bgr.rows(), bgr.cols(), CV_8U);
                Mat cb = new Mat(bgr.rows(), bgr.cols(), CV_8U); IntPointer order = new IntPointer(0, 0, 1, 1, 2, 2);
                Size chroma = new Size(p.cb().width(), p.cb().height())) {
            opencv_imgproc.cvtColor(bgr, ycrcb, opencv_imgproc.COLOR_BGR2YCrCb);
            src.put(0, ycrcb);
            dst.put(0, views.of(p.y()));
            dst.put(1, cr);
            dst.put(2, cb);
            opencv_core.mixChannels(src, dst, order, 3);
            opencv_imgproc.resize(cr, views.of(p.cr()), chroma, 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.resize(cb, views.of(p.cb()), chroma, 0, 0, opencv_imgproc.INTER_AREA);
        }
        return p;
    }

    /** 4:4:4 planes as one 3-channel YCrCb Mat. */
    static Mat ycrcb(YuvPlanes p) {
        try (MatViews views = new MatViews(); MatVector channels = new MatVector(views.of(p.y()), views.of(p.cr()), views.of(p.cb()))) {
            Mat out = new Mat();
            opencv_core.merge(channels, out);
            return out;
        }
    }

    /** Mean squared Sobel gradient of the luminance: how much detail is visible. */
    static double gradientEnergy(Mat bgr) {
        try (Mat y = luma(bgr); Mat gx = new Mat(); Mat gy = new Mat(); Mat e = new Mat()) {
            opencv_imgproc.Sobel(y, gx, CV_32F, 1, 0);
            opencv_imgproc.Sobel(y, gy, CV_32F, 0, 1);
            opencv_core.multiply(gx, gx, gx);
            opencv_core.multiply(gy, gy, gy);
            opencv_core.add(gx, gy, e);
            try (Scalar m = opencv_core.mean(e)) {
                return m.get(0);
            }
        }
    }

    /** Root-mean-square difference of the luminance of two images, in [0, 1]. */
    static double lumaRmse(Mat a, Mat b) {
        try (Mat ya = luma(a); Mat yb = luma(b)) {
            return opencv_core.norm(ya, yb, opencv_core.NORM_L2, null) / Math.sqrt((double) ya.total());
        }
    }
}
