package io.ivfuse.fusion.image;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YCrCb2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.frame.Plane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fuses one image pair with an engine, recombining colour as the video pipeline does: the visible
 * image goes to YCrCb (OpenCV BGR2YCrCb, full range), the engine fuses its Y with the infrared gray
 * (OpenCV BGR2GRAY for colour files), the fused Y replaces Y and the result goes back to BGR. Gray
 * visible images give gray output. Not thread-safe: one per worker thread; it keeps one
 * {@link FusionSession} per image size, since sessions are for a fixed size.
 */
public final class ImagePairFuser implements AutoCloseable {
    private final FusionEngine engine;
    private final boolean resize;
    private final Map<Long, FusionSession> sessions = new HashMap<>();
    private boolean closed;

    /** @param resize whether an infrared image of another size is resized to the visible size (else an error) */
    public ImagePairFuser(FusionEngine engine, boolean resize) {
        this.engine = engine;
        this.resize = resize;
    }

    /** Fuses the pair and writes an 8-bit PNG to {@code out}; errors name the pair. */
    public void fuseToFile(String pairName, Path infrared, Path visible, Path out) {
        try (Mat fused = fuse(pairName, infrared, visible)) {
            writeImage(fused, out);
        }
    }

    /** The fused image (8-bit gray or BGR); the caller closes it. */
    public Mat fuse(String pairName, Path infrared, Path visible) {
        if (closed) {
            throw new IllegalStateException("fuser closed");
        }
        List<Mat> owned = new ArrayList<>();
        try {
            Mat ir = gray(read(infrared, owned), owned);
            Mat vis = read(visible, owned);
            if (vis.channels() == 4) {
                Mat bgr = own(new Mat(), owned);
                opencv_imgproc.cvtColor(vis, bgr, COLOR_BGRA2BGR);
                vis = bgr;
            }
            if (ir.cols() != vis.cols() || ir.rows() != vis.rows()) {
                if (!resize) {
                    throw new IvfuseException("pair '" + pairName + "': infrared is " + ir.cols() + "x" + ir.rows()
                            + " but visible is " + vis.cols() + "x" + vis.rows() + " (use --resize to resize the infrared image)");
                }
                Mat r = own(new Mat(), owned);
                opencv_imgproc.resize(ir, r, new Size(vis.cols(), vis.rows()), 0, 0, INTER_LINEAR);
                ir = r;
            }
            int w = vis.cols();
            int h = vis.rows();
            Plane irPlane = toPlane(ir);
            Plane fusedY = Plane.allocate(w, h);
            if (vis.channels() == 1) {
                session(w, h).fuse(toPlane(vis), irPlane, fusedY);
                try (Mat header = header(fusedY)) {
                    return header.clone();
                }
            }
            Mat ycrcb = own(new Mat(), owned);
            opencv_imgproc.cvtColor(vis, ycrcb, COLOR_BGR2YCrCb);
            try (MatVector channels = new MatVector()) {
                opencv_core.split(ycrcb, channels);
                Mat y = own(channels.get(0), owned);
                session(w, h).fuse(toPlane(y), irPlane, fusedY);
                try (Mat header = header(fusedY)) {
                    header.copyTo(y);
                }
                opencv_core.merge(channels, ycrcb);
            }
            Mat bgr = new Mat();
            opencv_imgproc.cvtColor(ycrcb, bgr, COLOR_YCrCb2BGR);
            return bgr;
        } finally {
            owned.forEach(Mat::close);
        }
    }

    private FusionSession session(int w, int h) {
        return sessions.computeIfAbsent(((long) w << 32) | h, k -> engine.openSession(w, h));
    }

    private static Mat own(Mat m, List<Mat> owned) {
        owned.add(m);
        return m;
    }

    private static Mat read(Path file, List<Mat> owned) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("image not found: " + file);
        }
        Mat m = own(opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_UNCHANGED), owned);
        if (m.empty()) {
            throw new IvfuseException("cannot read image " + file);
        }
        if (m.depth() != opencv_core.CV_8U) {
            throw new IvfuseException("image " + file + " is not 8-bit");
        }
        return m;
    }

    private static Mat gray(Mat m, List<Mat> owned) {
        if (m.channels() == 1) {
            return m;
        }
        Mat g = own(new Mat(), owned);
        opencv_imgproc.cvtColor(m, g, m.channels() == 4 ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY);
        return g;
    }

    /** A Mat header over a plane's pixels (no copy); the caller closes it. */
    private static Mat header(Plane p) {
        return new Mat(p.height(), p.width(), opencv_core.CV_8UC1, new org.bytedeco.javacpp.BytePointer(p.data()), p.stride());
    }

    /** A copy of an 8-bit single-channel Mat as a plane. */
    private static Plane toPlane(Mat m) {
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] px = new byte[m.cols() * m.rows()];
        c.data().get(px);
        if (c != m) {
            c.close();
        }
        Plane p = Plane.allocate(m.cols(), m.rows());
        p.fill(px);
        return p;
    }

    /** Writes {@code image} to {@code out} (format by extension), making its folder; errors name the file. */
    static void writeImage(Mat image, Path out) {
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IvfuseException("cannot create folder for " + out + ": " + e.getMessage(), e);
        }
        if (!opencv_imgcodecs.imwrite(out.toString(), image)) {
            throw new IvfuseException("cannot write " + out);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sessions.values().forEach(FusionSession::close);
        sessions.clear();
    }
}
