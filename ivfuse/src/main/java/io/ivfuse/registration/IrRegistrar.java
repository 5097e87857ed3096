package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.convertMaps;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.ShortIndexer;
import org.bytedeco.javacpp.indexer.UShortIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Resamples IR frames onto the visible camera's pixel grid, for one pair of frame sizes and one
 * {@link Calibration}. The remap tables are built once, here: each visible pixel is mapped back
 * through the inverse calibration to its IR position, and the table is converted to OpenCV's
 * fixed-point form (CV_16SC2 + interpolation index, 1/32 pixel steps), the fastest for
 * {@code remap}. {@link #warp} then samples bilinearly, 0 where the IR frame does not cover the
 * visible one, and allocates nothing. An identity mapping (identity calibration, equal sizes) is
 * a plain copy.
 *
 * <p>Not thread-safe (it caches Mat views of the planes it is given): one per pipeline thread.
 */
public final class IrRegistrar implements AutoCloseable {
    /** OpenCV's INTER_BITS: the fixed-point maps hold positions in 1/32 pixel. */
    private static final int INTER_BITS = 5;
    private static final int INTER_TAB_SIZE = 1 << INTER_BITS;
    /** Elements closer than this to the identity's make the mapping a copy (far below 1/32 px). */
    private static final double IDENTITY_TOLERANCE = 1e-9;

    private final FrameSize irSize;
    private final FrameSize visSize;
    private final Homography irToVis;
    private final boolean copy;
    private final Mat xyMap = new Mat();
    private final Mat fractionMap = new Mat();
    private final Scalar border;
    private final MatViews views = new MatViews();
    private boolean closed;

    /**
     * @param irSize      size of the IR frames that {@link #warp} will be given
     * @param visSize     size of the visible frames, and of the registered output
     * @param calibration IR to visible mapping, rescaled to these sizes if it was estimated at others
     */
    public IrRegistrar(FrameSize irSize, FrameSize visSize, Calibration calibration) {
        this(irSize, visSize, calibration, 0);
    }

    /**
     * As {@link #IrRegistrar(FrameSize, FrameSize, Calibration)}, with {@code borderValue} where the
     * frame does not cover the visible one (128 for chroma planes: no colour).
     */
    public IrRegistrar(FrameSize irSize, FrameSize visSize, Calibration calibration, int borderValue) {
        this.border = new Scalar(borderValue);
        this.irSize = irSize;
        this.visSize = visSize;
        this.irToVis = calibration.forFrames(irSize, visSize);
        this.copy = irSize.equals(visSize) && irToVis.isIdentity(IDENTITY_TOLERANCE);
        if (!copy) {
            buildMaps(irToVis.inverse());
        }
    }

    /** Fills the float map of IR positions per visible pixel, then converts it to fixed point. */
    private void buildMaps(Homography visToIr) {
        int w = visSize.width();
        int h = visSize.height();
        double[] p = new double[3];
        try (Mat floatMap = new Mat(h, w, CV_32FC2); FloatIndexer idx = floatMap.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    visToIr.apply(x, y, p);
                    // Beyond the transform's horizon (w <= 0) a homography gives a plausible but false
                    // position (the point is "behind" the IR camera): send those pixels off-frame.
                    boolean valid = p[2] > 0 && Double.isFinite(p[0]) && Double.isFinite(p[1]);
                    idx.put(y, x, 0, valid ? (float) intoFrame(p[0], irSize.width()) : -10f);
                    idx.put(y, x, 1, valid ? (float) intoFrame(p[1], irSize.height()) : -10f);
                }
            }
            convertMaps(floatMap, new Mat(), xyMap, fractionMap, CV_16SC2, false);
        }
    }

    /**
     * The IR frame covers [-0.5, n - 0.5] but its outermost pixel centres are 0 and n - 1: positions
     * in the outer half pixel are clamped onto those centres, so that the constant 0 border darkens
     * only what truly lies outside the frame (as cv::resize replicates its edges).
     */
    private static double intoFrame(double v, int n) {
        if (v < 0 && v >= -0.5) {
            return 0;
        }
        if (v > n - 1 && v <= n - 0.5) {
            return n - 1;
        }
        return v;
    }

    /**
     * Writes the IR frame, registered onto the visible geometry, into {@code registeredOut}.
     *
     * @param ir            an IR frame of the size given at construction
     * @param registeredOut a plane of the visible size; pixels the IR frame does not cover become 0
     */
    public void warp(Plane ir, Plane registeredOut) {
        if (closed) {
            throw new IllegalStateException("IrRegistrar is closed");
        }
        if (ir.width() != irSize.width() || ir.height() != irSize.height()) {
            throw new IllegalArgumentException("IR plane " + ir + " does not match the registrar's " + irSize);
        }
        if (registeredOut.width() != visSize.width() || registeredOut.height() != visSize.height()) {
            throw new IllegalArgumentException("output plane " + registeredOut + " does not match the visible " + visSize);
        }
        if (copy) {
            registeredOut.copyFrom(ir);
            return;
        }
        remap(views.of(ir), views.of(registeredOut), xyMap, fractionMap, INTER_LINEAR, BORDER_CONSTANT, border);
    }

    /** True when {@link #warp} is a plain copy (identity mapping at equal sizes). */
    public boolean isCopy() {
        return copy;
    }

    /** The IR-to-visible matrix at this registrar's frame sizes. */
    public Homography irToVis() {
        return irToVis;
    }

    /**
     * The IR position that visible pixel (x, y) is sampled from, decoded from the fixed-point maps
     * {@link #warp} uses (so it shows their 1/32 pixel quantisation); for checks and diagnostics.
     */
    public double[] irPositionOf(int x, int y) {
        if (copy) {
            return new double[] {x, y};
        }
        try (ShortIndexer xy = xyMap.createIndexer(); UShortIndexer frac = fractionMap.createIndexer()) {
            int f = frac.get(y, x);
            return new double[] {
                xy.get(y, x, 0) + (double) (f & (INTER_TAB_SIZE - 1)) / INTER_TAB_SIZE,
                xy.get(y, x, 1) + (double) (f >> INTER_BITS) / INTER_TAB_SIZE};
        }
    }

    public FrameSize irSize() {
        return irSize;
    }

    public FrameSize visSize() {
        return visSize;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        views.close();
        xyMap.close();
        fractionMap.close();
        border.close();
    }
}
