package io.ivfuse.fusion.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.NORM_INF;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YCrCb2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fuses the exposures of one scene, read from image files with OpenCV (libjpeg-turbo, libpng,
 * libtiff), into one colour image: each goes to YCrCb 4:4:4 (full range), an
 * {@link ExposureFusionSession} fuses them, and the result goes back to BGR. Gray inputs alone give
 * a gray result. Inputs that can still be fused are repaired with a warning naming the file
 * (another size: resized to the first exposure's; 16 bits: scaled to 8; gray among colour:
 * made colour; A brighter than B: swapped), and suspicious ones are fused with a warning
 * (identical exposures, an all-black or all-white exposure). Not thread-safe; it keeps one
 * session, with its planes, per image size and exposure count.
 */
public final class ExposureImageFuser implements AutoCloseable {
    /** Mean luminance below which an exposure counts as all black, and above 255 minus it as all white. */
    static final double BLANK_MEAN = 2.0;

    private final FusionEngine engine;
    private final Map<String, Slot> slots = new HashMap<>();
    private boolean closed;

    public ExposureImageFuser(FusionEngine engine) {
        this.engine = engine;
    }

    /** Fuses the scene's exposures and writes an 8-bit PNG to {@code out}; errors name the scene. */
    public void fuseToFile(String name, List<Path> exposures, Path out, Consumer<String> warnings) {
        try (Mat fused = fuse(name, exposures, warnings)) {
            ImagePairFuser.writeImage(fused, out);
        }
    }

    /** The fused image, 8-bit BGR (gray when every exposure is gray); the caller closes it. */
    public Mat fuse(String name, List<Path> files, Consumer<String> warnings) {
        if (closed) {
            throw new IllegalStateException("fuser closed");
        }
        if (files.size() < 2) {
            throw new IvfuseException("scene '" + name + "': exposure fusion needs at least 2 exposures, got " + files.size());
        }
        List<Mat> images = new ArrayList<>();
        try {
            for (Path f : files) {
                images.add(read(f, warnings));
            }
            boolean allGray = images.stream().allMatch(m -> m.channels() == 1);
            for (int k = 0; k < images.size(); k++) {
                Mat m = images.get(k);
                if (!allGray && m.channels() == 1) {
                    warnings.accept("warning: " + files.get(k) + " is gray among colour exposures; converted to colour");
                    images.set(k, replace(m, c -> opencv_imgproc.cvtColor(m, c, COLOR_GRAY2BGR)));
                }
            }
            Mat first = images.get(0);
            for (int k = 1; k < images.size(); k++) {
                Mat m = images.get(k);
                if (m.cols() != first.cols() || m.rows() != first.rows()) {
                    warnings.accept("warning: " + files.get(k) + " is " + m.cols() + "x" + m.rows() + " but "
                            + files.get(0).getFileName() + " is " + first.cols() + "x" + first.rows()
                            + "; resized to " + first.cols() + "x" + first.rows());
                    boolean shrink = (long) m.cols() * m.rows() > (long) first.cols() * first.rows();
                    try (Size size = new Size(first.cols(), first.rows())) {
                        images.set(k, replace(m, r -> opencv_imgproc.resize(m, r, size, 0, 0, shrink ? INTER_AREA : INTER_LINEAR)));
                    }
                }
            }
            return fuseImages(name, files, images, allGray, warnings);
        } finally {
            images.forEach(Mat::close);
        }
    }

    private Mat fuseImages(String name, List<Path> files, List<Mat> images, boolean gray, Consumer<String> warnings) {
        int w = images.get(0).cols();
        int h = images.get(0).rows();
        Slot slot = slots.computeIfAbsent(w + "x" + h + "x" + images.size(), k -> new Slot(engine, w, h, images.size()));
        double[] means = new double[images.size()];
        for (int k = 0; k < images.size(); k++) {
            slot.load(k, images.get(k), gray);
            means[k] = slot.meanLuma(k);
            if (means[k] < BLANK_MEAN || means[k] > 255 - BLANK_MEAN) {
                warnings.accept(String.format(Locale.ROOT, "warning: %s is all %s (mean luminance %.1f); fused anyway",
                        files.get(k), means[k] < BLANK_MEAN ? "black" : "white", means[k]));
            }
            if (k > 0 && identical(images.get(k - 1), images.get(k))) {
                warnings.accept("warning: scene '" + name + "': " + files.get(k - 1).getFileName() + " and "
                        + files.get(k).getFileName() + " are identical (nothing to fuse); fused anyway");
            }
        }
        slot.orderDarkestFirst(means, name, files, warnings);
        return slot.fuse(gray);
    }

    private static boolean identical(Mat a, Mat b) {
        return a.channels() == b.channels() && opencv_core.norm(a, b, NORM_INF, null) == 0;
    }

    /** Reads an 8-bit gray or BGR image (BGRA loses alpha, 16 bits are scaled to 8 with a warning). */
    static Mat read(Path file, Consumer<String> warnings) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("image not found: " + file);
        }
        Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_UNCHANGED);
        try {
            if (m.empty()) {
                throw new IvfuseException("cannot read image " + file);
            }
            if (m.channels() != 1 && m.channels() != 3 && m.channels() != 4) {
                throw new IvfuseException("image " + file + " has " + m.channels() + " channels (expected gray, BGR or BGRA)");
            }
            if (m.depth() == CV_16U) {
                warnings.accept("warning: " + file + " is 16-bit; scaled to 8 bits (value / 257)");
                Mat src = m;
                m = replace(src, e -> src.convertTo(e, CV_8U, 1 / 257.0, 0));
            } else if (m.depth() != CV_8U) {
                throw new IvfuseException("image " + file + " is neither 8- nor 16-bit (OpenCV depth " + m.depth() + ")");
            }
            if (m.channels() == 4) {
                Mat src = m;
                m = replace(src, c -> opencv_imgproc.cvtColor(src, c, COLOR_BGRA2BGR));
            }
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A new Mat filled by {@code op}; {@code old} is closed. */
    private static Mat replace(Mat old, Consumer<Mat> op) {
        Mat m = new Mat();
        try {
            op.accept(m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        old.close();
        return m;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            slots.values().forEach(Slot::close);
            slots.clear();
        }
    }

    /** A session with its input and output planes for one size and exposure count. */
    private static final class Slot implements AutoCloseable {
        private final ExposureFusionSession session;
        private final YuvPlanes[] exposures;
        private final YuvPlanes[] ordered;
        private final YuvPlanes fused;
        private final MatViews views = new MatViews();
        private final Mat ycrcb;
        private final MatVector picture = new MatVector(1);
        private final MatVector planes = new MatVector(3);
        /** YCrCb channel order: Y, Cr, Cb. */
        private final IntPointer channelOrder = new IntPointer(0, 0, 1, 1, 2, 2);

        Slot(FusionEngine engine, int w, int h, int n) {
            session = engine.openExposureSession(w, h, n, false);
            exposures = new YuvPlanes[n];
            for (int k = 0; k < n; k++) {
                exposures[k] = YuvPlanes.allocate(w, h, false);
            }
            ordered = exposures.clone();
            fused = YuvPlanes.allocate(w, h, false);
            ycrcb = new Mat(h, w, CV_8UC3);
            picture.put(0, ycrcb);
        }

        /** Converts image k (BGR, or gray when every exposure is) into its planes. */
        void load(int k, Mat image, boolean gray) {
            YuvPlanes p = exposures[k];
            if (gray) {
                image.copyTo(views.of(p.y()));
                return;
            }
            opencv_imgproc.cvtColor(image, ycrcb, COLOR_BGR2YCrCb);
            planes.put(0, views.of(p.y()));
            planes.put(1, views.of(p.cr()));
            planes.put(2, views.of(p.cb()));
            opencv_core.mixChannels(picture, planes, channelOrder, 3);
        }

        double meanLuma(int k) {
            try (Scalar mean = opencv_core.mean(views.of(exposures[k].y()))) {
                return mean.get(0);
            }
        }

        /** Sessions take the darkest exposure first; the layout says A is, so say so when it is not. */
        void orderDarkestFirst(double[] means, String name, List<Path> files, Consumer<String> warnings) {
            Integer[] order = new Integer[means.length];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(means[x], means[y]));
            for (int k = 0; k < order.length; k++) {
                ordered[k] = exposures[order[k]];
                if (order[k] != k && k == 0) {
                    warnings.accept(String.format(Locale.ROOT,
                            "warning: scene '%s': %s (mean luminance %.1f) is brighter than %s (%.1f); taken as the brighter exposure",
                            name, files.get(0).getFileName(), means[0], files.get(order[0]).getFileName(), means[order[0]]));
                }
            }
        }

        Mat fuse(boolean gray) {
            session.fuse(ordered, fused);
            if (gray) {
                return views.of(fused.y()).clone();
            }
            planes.put(0, views.of(fused.y()));
            planes.put(1, views.of(fused.cr()));
            planes.put(2, views.of(fused.cb()));
            opencv_core.merge(planes, ycrcb);
            Mat bgr = new Mat();
            opencv_imgproc.cvtColor(ycrcb, bgr, COLOR_YCrCb2BGR);
            return bgr;
        }

        @Override
        public void close() {
            session.close();
            views.close();
            ycrcb.close();
            picture.close();
            planes.close();
            channelOrder.close();
        }
    }
}
