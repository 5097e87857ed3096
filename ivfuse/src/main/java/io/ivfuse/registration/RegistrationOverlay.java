package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.Canny;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import io.ivfuse.IvfuseException;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The picture a user checks a calibration by, at the visible image's size, two panels side by
 * side: a checkerboard of visible and registered-IR tiles (edges must run on across tile borders),
 * and the visible image in gray with the visible edges in green and the registered IR edges in
 * magenta (where they agree they overlap as white).
 */
public final class RegistrationOverlay {
    private static final int TILES_ACROSS = 8;

    private RegistrationOverlay() {
    }

    /** {@code calib.yaml} -> {@code calib.overlay.png}, beside it. */
    public static Path pathFor(Path calibrationFile) {
        String name = calibrationFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return calibrationFile.resolveSibling(stem + ".overlay.png");
    }

    /** Writes the overlay of the IR image registered by {@code calibration} onto the visible image. */
    public static void write(Mat ir, Mat vis, Calibration calibration, Path file) {
        try (Mat both = picture(ir, vis, calibration)) {
            if (!imwrite(file.toString(), both)) {
                throw new IvfuseException("cannot write the overlay picture " + file);
            }
        } catch (RuntimeException e) {
            if (e instanceof IvfuseException ie) {
                throw ie;
            }
            throw new IvfuseException("cannot write the overlay picture " + file + ": " + CalibrationFile.cvMessage(e), e);
        }
    }

    /** The overlay picture (BGR, twice the visible width; the caller closes it). */
    public static Mat picture(Mat ir, Mat vis, Calibration calibration) {
        Mat both = new Mat();
        try (Mat irGray = EdgeImages.gray(ir); Mat visGray = EdgeImages.gray(vis); Mat registered = new Mat();
                Mat board = visGray.clone(); Mat edgesVis = new Mat(); Mat edgesIr = new Mat(); Mat left = new Mat();
                Mat right = new Mat(); Scalar black = new Scalar(0.0);
                Size size = new Size(vis.cols(), vis.rows())) {
            FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
            FrameSize visSize = new FrameSize(vis.cols(), vis.rows());
            try (Mat h = calibration.forFrames(irSize, visSize).toMat()) {
                warpPerspective(irGray, registered, h, size, INTER_LINEAR, 0, black);
            }
            int tile = Math.max(8, vis.cols() / TILES_ACROSS);
            try (UByteIndexer b = board.createIndexer(); UByteIndexer r = registered.createIndexer()) {
                for (int y = 0; y < vis.rows(); y++) {
                    for (int x = 0; x < vis.cols(); x++) {
                        if (((x / tile) + (y / tile)) % 2 == 1) {
                            b.put(y, x, r.get(y, x));
                        }
                    }
                }
            }
            cvtColor(board, left, COLOR_GRAY2BGR);
            Canny(visGray, edgesVis, 60, 150);
            Canny(registered, edgesIr, 40, 120);
            try (Mat dim = new Mat()) {
                visGray.convertTo(dim, -1, 0.5, 0);
                cvtColor(dim, right, COLOR_GRAY2BGR);
            }
            try (UByteIndexer out = right.createIndexer(); UByteIndexer ev = edgesVis.createIndexer();
                    UByteIndexer ei = edgesIr.createIndexer()) {
                for (int y = 0; y < vis.rows(); y++) {
                    for (int x = 0; x < vis.cols(); x++) {
                        boolean v = ev.get(y, x) != 0;
                        boolean i = ei.get(y, x) != 0;
                        if (v || i) {
                            out.put(y, x, 0, i ? 255 : 0); // B
                            out.put(y, x, 1, v ? 255 : 0); // G
                            out.put(y, x, 2, i ? 255 : 0); // R
                        }
                    }
                }
            }
            hconcat(left, right, both);
            return both;
        } catch (RuntimeException e) {
            both.close();
            throw e;
        }
    }
}
