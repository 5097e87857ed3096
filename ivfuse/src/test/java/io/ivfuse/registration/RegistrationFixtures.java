package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import io.ivfuse.frame.Plane;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** A real visible image and "IR" images made from it by known misregistrations. */
final class RegistrationFixtures {
    private RegistrationFixtures() {
    }

    /** A TNO visible image (768x576) in gray; skips the test when ../shared is absent. */
    static Mat visibleImage() {
        Path file = SharedFiles.require("data/tno/vis/01.png");
        Mat gray = imread(file.toString(), IMREAD_GRAYSCALE);
        if (gray.empty()) {
            throw new AssertionError("could not decode " + file);
        }
        return gray;
    }

    /**
     * A plausible IR-to-visible mapping for a frame of the given size: the IR camera sees the
     * central 86% of the visible view, rotated by 2 degrees, shifted and with a slight perspective
     * tilt, so the whole IR frame lands inside the visible frame.
     */
    static Homography trueIrToVis(FrameSize size) {
        double cx = (size.width() - 1) / 2.0;
        double cy = (size.height() - 1) / 2.0;
        double a = Math.toRadians(2.0);
        double s = 0.86;
        Homography toCentre = Homography.of(1, 0, -cx, 0, 1, -cy, 0, 0, 1);
        Homography similarity = Homography.of(s * Math.cos(a), -s * Math.sin(a), cx + 6.5,
                s * Math.sin(a), s * Math.cos(a), cy - 4.25, 0, 0, 1);
        Homography tilt = Homography.of(1, 0, 0, 0, 1, 0, 2.0e-5 * 768 / size.width(), -1.5e-5 * 576 / size.height(), 1);
        return tilt.after(similarity).after(toCentre);
    }

    /** An affine IR-to-visible mapping (scale, rotation, shear, shift) for the given frame size. */
    static Homography trueAffineIrToVis(FrameSize size) {
        double cx = (size.width() - 1) / 2.0;
        double cy = (size.height() - 1) / 2.0;
        return Homography.affine(0.88, -0.03, cx - 0.88 * cx + 0.03 * cy + 5.75,
                0.025, 0.9, cy - 0.025 * cx - 0.9 * cy - 3.5);
    }

    /**
     * What an IR camera with mapping {@code irToVis} sees of the visible scene: IR(p) = vis(H p),
     * at the visible image's size, then area-downsampled to {@code irSize} when that is smaller
     * (the matrix stays the full-size one; see {@link Homography#rescaling}).
     */
    static Mat simulatedIr(Mat vis, Homography irToVis, FrameSize irSize) {
        Mat full = new Mat();
        try (Mat h = irToVis.toMat(); Size size = new Size(vis.cols(), vis.rows())) {
            warpPerspective(vis, full, h, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, new org.bytedeco.opencv.opencv_core.Scalar(0.0));
        }
        if (irSize.width() == vis.cols() && irSize.height() == vis.rows()) {
            return full;
        }
        Mat small = new Mat();
        try (full; Size size = new Size(irSize.width(), irSize.height())) {
            resize(full, small, size, 0, 0, INTER_AREA);
        }
        return small;
    }

    /** Inverts the gray levels (IR often shows the opposite contrast of visible light). */
    static Mat inverted(Mat image) {
        Mat out = new Mat();
        org.bytedeco.opencv.global.opencv_core.bitwise_not(image, out);
        return out;
    }

    /** A copy of an 8-bit gray Mat as a Plane (with a padded stride, as decoders produce). */
    static Plane toPlane(Mat image) {
        int w = image.cols();
        int h = image.rows();
        Plane padded = Plane.wrap(java.nio.ByteBuffer.allocateDirect((w + 32) * h), w, h, w + 32);
        byte[] packed = new byte[w * h];
        try (Mat continuous = image.clone()) {
            new BytePointer(continuous.data()).capacity((long) w * h).get(packed);
        }
        padded.fill(packed);
        return padded;
    }

    static FrameSize sizeOf(Mat image) {
        return new FrameSize(image.cols(), image.rows());
    }

    /** Mean distance in pixels between where two mappings send a 20x20 grid over {@code domain}. */
    static double meanGridError(Homography a, Homography b, FrameSize domain) {
        return a.meanDistance(b, domain);
    }
}
