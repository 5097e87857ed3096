package io.ivfuse.quality.evaluation;

import io.ivfuse.quality.metric.MetricImage;
import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads image files for the metrics with OpenCV's {@code imread} (libjpeg-turbo, libpng), keeping
 * the file's own channel count as MATLAB's imread does: a gray JPEG stays gray, a colour one is
 * colour. That decoder reproduces VIFB's MATLAB values (see the golden tests); alpha is dropped.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    public static MetricImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("image not found: " + file);
        }
        try (Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_UNCHANGED)) {
            if (m.empty()) {
                throw new IvfuseException("cannot read image " + file + " (not an image OpenCV can decode)");
            }
            if (m.depth() != opencv_core.CV_8U) {
                String depth = m.depth() == opencv_core.CV_16U ? "16-bit" : "not 8-bit (OpenCV depth " + m.depth() + ")";
                throw new IvfuseException("image " + file + " is " + depth
                        + ": the metrics take 8-bit images as their reference code does; convert it to 8 bits first");
            }
            return toMetricImage(m, file.toString());
        }
    }

    /** Reads a file and resizes it (bilinear) to width x height when its size differs. */
    public static MetricImage read(Path file, int width, int height) {
        MetricImage img = read(file);
        if (img.width() == width && img.height() == height) {
            return img;
        }
        try (Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_UNCHANGED); Mat r = new Mat()) {
            org.bytedeco.opencv.global.opencv_imgproc.resize(m, r, new org.bytedeco.opencv.opencv_core.Size(width, height),
                    0, 0, org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR);
            return toMetricImage(r, file.toString());
        }
    }

    /** Converts an 8-bit gray, BGR or BGRA Mat into R, G, B (or gray) sample arrays. */
    public static MetricImage toMetricImage(Mat m, String what) {
        int w = m.cols();
        int h = m.rows();
        int c = m.channels();
        if (c != 1 && c != 3 && c != 4) {
            throw new IvfuseException("image " + what + " has " + c + " channels (1, 3 or 4 expected)");
        }
        byte[] px = new byte[w * h * c];
        Mat cont = m.isContinuous() ? m : m.clone();
        try {
            cont.data().get(px);
        } finally {
            if (cont != m) {
                cont.close();
            }
        }
        if (c == 1) {
            return MetricImage.gray(w, h, px);
        }
        double[][] rgb = new double[3][w * h];
        for (int i = 0; i < w * h; i++) {
            rgb[2][i] = px[i * c] & 0xFF;
            rgb[1][i] = px[i * c + 1] & 0xFF;
            rgb[0][i] = px[i * c + 2] & 0xFF;
        }
        return new MetricImage(w, h, rgb);
    }
}
