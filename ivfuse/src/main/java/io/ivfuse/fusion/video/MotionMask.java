package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Where two exposures of one instant disagree once one is mapped to the other's brightness: the
 * pixels where something moved between the two frames of a sliding pair, at low resolution.
 * <ol>
 * <li>the intensity mapping each way ({@link IntensityMapping}), fitted on these two frames;</li>
 * <li>a pixel is evidence when both exposures are well exposed there (neither clipped: a clipped
 *     pixel says nothing about the scene) and the mapped difference exceeds the threshold in either
 *     direction (the mapping compresses one exposure's range, so each is compared in its own);</li>
 * <li>an opening removes isolated pixels (noise), a dilation covers the object's soft edges and
 *     the low resolution's blur, and a box filter makes the mask soft, 0 to 1.</li>
 * </ol>
 * Buffers are made once, for one low-resolution size.
 */
final class MotionMask implements AutoCloseable {
    /** Levels at or below which, or at or above 255 minus which, a pixel counts as clipped. */
    static final int CLIPPED = 6;
    /** Dilation radius and soft edge, in low-resolution pixels. */
    static final int GROW = 2;
    static final int SOFTEN = 5;

    private final int n;
    private final int threshold;
    private final IntensityMapping toReference = new IntensityMapping();
    private final IntensityMapping toOther = new IntensityMapping();
    private final byte[] evidence;
    private final float[] values;
    private final Mat evidenceMat;
    private final BytePointer evidencePixels;
    private final Mat opened;
    private final Mat grown;
    private final Mat soft;
    private final FloatPointer softPixels;
    private final Mat speck = getStructuringElement(MORPH_RECT, new Size(3, 3));
    private final Mat grow = getStructuringElement(MORPH_ELLIPSE, new Size(2 * GROW + 1, 2 * GROW + 1));
    private final Size soften = new Size(SOFTEN, SOFTEN);

    MotionMask(int width, int height, int threshold) {
        this.n = width * height;
        this.threshold = threshold;
        evidence = new byte[n];
        values = new float[n];
        evidenceMat = new Mat(height, width, CV_8U);
        evidencePixels = evidenceMat.data();
        opened = new Mat(height, width, CV_8U);
        grown = new Mat(height, width, CV_8U);
        soft = new Mat(height, width, CV_32F);
        softPixels = new FloatPointer(soft.data());
    }

    /**
     * Finds the moving pixels of {@code reference} against {@code other} (low-resolution luma);
     * returns whether there are any. Then {@link #soft()} and {@link #values()} hold the mask.
     */
    boolean compute(byte[] reference, byte[] other) {
        toReference.fit(other, reference, n);
        toOther.fit(reference, other, n);
        int high = 255 - CLIPPED;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            int r = reference[i] & 0xFF;
            int o = other[i] & 0xFF;
            boolean moved = false;
            if (r > CLIPPED && r < high && o > CLIPPED && o < high) {
                int d = Math.max(Math.abs(r - toReference.map(o)), Math.abs(o - toOther.map(r)));
                moved = d > threshold;
            }
            evidence[i] = (byte) (moved ? 1 : 0);
            any |= moved;
        }
        if (!any) {
            clear();
            return false;
        }
        evidencePixels.put(evidence, 0, n);
        morphologyEx(evidenceMat, opened, MORPH_OPEN, speck);
        if (countNonZero(opened) == 0) {
            clear();
            return false;
        }
        dilate(opened, grown, grow);
        boxFilter(grown, soft, CV_32F, soften);
        softPixels.get(values, 0, n);
        return true;
    }

    /** No motion: an all-zero mask. */
    void clear() {
        java.util.Arrays.fill(values, 0f);
    }

    /** The soft mask, CV_32F in [0, 1] (valid after {@link #compute} returned true). */
    Mat soft() {
        return soft;
    }

    /** The soft mask's values, row-major (all 0 after a frame without motion). */
    float[] values() {
        return values;
    }

    @Override
    public void close() {
        evidenceMat.close();
        opened.close();
        grown.close();
        soft.close();
        softPixels.close();
        speck.close();
        grow.close();
        soften.close();
    }
}
