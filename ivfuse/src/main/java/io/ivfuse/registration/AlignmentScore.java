package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * How well a registered IR frame lies on its visible frame: the normalised cross-correlation of
 * their {@link EdgeImages edge images} at low resolution (at most {@value #MAX_WIDTH} pixels
 * wide), over the part of the visible frame the IR frame covers. Edges are where the modalities
 * agree, so the score falls when the rig moves and the calibration no longer holds. Every buffer
 * is made here, once: scoring a frame allocates nothing. Not thread-safe.
 */
public final class AlignmentScore implements AutoCloseable {
    static final int MAX_WIDTH = 320;
    /** Pixels (at the low resolution) next to where the IR frame ends are left out: that border is no scene edge. */
    private static final int BORDER_MARGIN = 2;
    /** Below this share of the visible frame covered by the IR frame there is too little to compare. */
    private static final double MIN_COVERAGE = 0.1;

    private final Size small;
    private final Mat vis8 = new Mat();
    private final Mat ir8 = new Mat();
    private final Mat visFloat = new Mat();
    private final Mat irFloat = new Mat();
    private final Mat visEdges = new Mat();
    private final Mat irEdges = new Mat();
    private final Mat mask = new Mat();
    private final Mat aMasked = new Mat();
    private final Mat bMasked = new Mat();
    private final double maskArea;
    private final EdgeImages.Scratch scratch = new EdgeImages.Scratch();
    private final MatViews views = new MatViews();
    private final double coverage;

    /**
     * @param footprint where the registered IR frame has pixels: 255 there, 0 elsewhere (an all-255 IR
     *                  frame through the run's registration), at the visible size
     */
    public AlignmentScore(Plane footprint) {
        double f = Math.min(1, (double) MAX_WIDTH / footprint.width());
        small = new Size(Math.max(16, (int) Math.round(footprint.width() * f)),
                Math.max(16, (int) Math.round(footprint.height() * f)));
        try (Mat m = new Mat(); Size k = new Size(2 * BORDER_MARGIN + 1, 2 * BORDER_MARGIN + 1);
                Mat kernel = getStructuringElement(MORPH_RECT, k)) {
            resize(views.of(footprint), m, small, 0, 0, INTER_AREA);
            threshold(m, m, 254, 255, THRESH_BINARY); // only pixels the IR frame fully covers
            erode(m, m, kernel);
            maskArea = countNonZero(m);
            coverage = maskArea / (small.width() * small.height());
            m.convertTo(mask, CV_32F, 1 / 255.0, 0);
        }
    }

    /** False when the IR frame covers too little of the visible one for a score ({@link #score} gives NaN). */
    public boolean usable() {
        return coverage >= MIN_COVERAGE;
    }

    /** -1..1 (1: the same edges in the same places); NaN when not {@link #usable()} or a frame is flat. */
    public double score(Plane visible, Plane registered) {
        if (!usable()) {
            return Double.NaN;
        }
        edges(visible, vis8, visFloat, visEdges);
        edges(registered, ir8, irFloat, irEdges);
        return maskedCorrelation(visEdges, irEdges);
    }

    /**
     * Pearson correlation of a and b over the mask's pixels, from dot products (OpenCV's masked
     * matchTemplate gives the same scores through DFTs: 19 ms a sample with it against 8 ms, both under load).
     */
    private double maskedCorrelation(Mat a, Mat b) {
        multiply(a, mask, aMasked);
        multiply(b, mask, bMasked);
        double n = maskArea;
        double sa = aMasked.dot(mask);
        double sb = bMasked.dot(mask);
        double cov = aMasked.dot(bMasked) - sa * sb / n;
        double va = aMasked.dot(aMasked) - sa * sa / n;
        double vb = bMasked.dot(bMasked) - sb * sb / n;
        double r = cov / Math.sqrt(va * vb);
        return Double.isFinite(r) ? r : Double.NaN;
    }

    private void edges(Plane plane, Mat gray8, Mat gray32, Mat out) {
        resize(views.of(plane), gray8, small, 0, 0, INTER_AREA);
        gray8.convertTo(gray32, CV_32F);
        EdgeImages.edgeStrength(gray32, out, scratch);
    }

    @Override
    public void close() {
        views.close();
        scratch.close();
        for (Mat m : new Mat[] {vis8, ir8, visFloat, irFloat, visEdges, irEdges, mask, aMasked, bMasked}) {
            m.close();
        }
        small.close();
    }
}
