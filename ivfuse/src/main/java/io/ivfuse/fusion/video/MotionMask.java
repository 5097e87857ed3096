package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Where two exposures of one instant disagree once one is mapped to the other's brightness: the
 * pixels where something moved between the two frames of a sliding pair, at low resolution.
 * <ol>
 * <li>the intensity mapping each way ({@link IntensityMapping}), fitted on point samples of these
 *     two frames; each exposure mapped through it at full resolution and then averaged is the
 *     prediction of the other;</li>
 * <li>each exposure predicts the other through its mapping where it is well exposed (a clipped
 *     level predicts nothing); a pixel is evidence when a prediction misses by more than the
 *     threshold, each compared in its own exposure's range (the mapping compresses one of them),
 *     and a clipped level only when the prediction lies well inside the range;</li>
 * <li>isolated evidence is dropped (noise), a dilation covers the object's soft edges and the low
 *     resolution's blur, and a box filter makes the mask soft, 0 to 1.</li>
 * </ol>
 * Buffers are made once, for one low-resolution size.
 */
final class MotionMask implements AutoCloseable {
    /** Levels at or below which, or at or above 255 minus which, a pixel counts as clipped. */
    static final int CLIPPED = 6;
    /** Dilation radius and soft edge, in low-resolution pixels. */
    static final int GROW = 2;
    static final int SOFTEN = 5;

    private final int width;
    private final int height;
    private final int n;
    private final int threshold;
    private final IntensityMapping toReferenceMapping = new IntensityMapping();
    private final IntensityMapping toOtherMapping = new IntensityMapping();
    private final byte[] toReferenceTable = new byte[256];
    private final byte[] toOtherTable = new byte[256];
    private final Mat toReferenceLut = new Mat(1, 256, CV_8U);
    private final Mat toOtherLut = new Mat(1, 256, CV_8U);
    private final BytePointer toReferencePixels = toReferenceLut.data();
    private final BytePointer toOtherPixels = toOtherLut.data();
    private final byte[] evidence;
    private final float[] values;
    private final Mat evidenceMat;
    private final BytePointer evidencePixels;
    private final Mat grown;
    private final Mat soft;
    private final FloatPointer softPixels;
    private final Mat grow = getStructuringElement(MORPH_ELLIPSE, new Size(2 * GROW + 1, 2 * GROW + 1));
    private final Size soften = new Size(SOFTEN, SOFTEN);

    MotionMask(int width, int height, int threshold) {
        this.width = width;
        this.height = height;
        this.n = width * height;
        this.threshold = threshold;
        evidence = new byte[n];
        values = new float[n];
        evidenceMat = new Mat(height, width, CV_8U);
        evidencePixels = evidenceMat.data();
        grown = new Mat(height, width, CV_8U);
        soft = new Mat(height, width, CV_32F);
        softPixels = new FloatPointer(soft.data());
    }

    /**
     * Fits the intensity mapping both ways on point samples of the two exposures (area averages
     * would bend the distribution wherever a block straddles the clip), into {@link #toReference()}
     * and {@link #toOther()}.
     */
    void fit(byte[] referenceSamples, byte[] otherSamples) {
        toReferenceMapping.fit(otherSamples, referenceSamples, n);
        toOtherMapping.fit(referenceSamples, otherSamples, n);
        toReferenceMapping.copyTo(toReferenceTable);
        toOtherMapping.copyTo(toOtherTable);
        toReferencePixels.put(toReferenceTable, 0, 256);
        toOtherPixels.put(toOtherTable, 0, 256);
    }

    /**
     * Finds the moving pixels from the low-resolution exposures and their predictions, each the
     * other exposure mapped at full resolution and then averaged (so averaging and mapping do not
     * disagree on textured blocks); returns whether there are any. Then {@link #soft()} and
     * {@link #values()} hold the mask.
     */
    boolean compute(byte[] reference, byte[] other, byte[] predictedReference, byte[] predictedOther) {
        boolean any = false;
        for (int i = 0; i < n; i++) {
            int r = reference[i] & 0xFF;
            int o = other[i] & 0xFF;
            boolean moved = (!clipped(o) && disagrees(r, predictedReference[i] & 0xFF))
                    || (!clipped(r) && disagrees(o, predictedOther[i] & 0xFF));
            evidence[i] = (byte) (moved ? 1 : 0);
            any |= moved;
        }
        if (!any || !keepClusters()) {
            clear();
            return false;
        }
        evidencePixels.put(evidence, 0, n);
        dilate(evidenceMat, grown, grow);
        boxFilter(grown, soft, CV_32F, soften);
        softPixels.get(values, 0, n);
        return true;
    }

    /** The fitted mapping of the other exposure's levels to the reference's, a 1 x 256 CV_8U table for OpenCV's LUT. */
    Mat toReference() {
        return toReferenceLut;
    }

    /** The fitted mapping of the reference's levels to the other exposure's. */
    Mat toOther() {
        return toOtherLut;
    }

    private static boolean clipped(int v) {
        return v <= CLIPPED || v >= 255 - CLIPPED;
    }

    /**
     * Whether a level and its prediction (from the other exposure, well exposed there) differ by
     * more than the threshold; a clipped level only bounds the truth, so it disagrees only with a
     * prediction well on the other side of the clip.
     */
    private boolean disagrees(int actual, int predicted) {
        if (actual >= 255 - CLIPPED) {
            return predicted < 255 - CLIPPED - threshold;
        }
        if (actual <= CLIPPED) {
            return predicted > CLIPPED + threshold;
        }
        return Math.abs(actual - predicted) > threshold;
    }

    /**
     * Drops evidence without another evidence pixel among its 8 neighbours (noise, or a mapping
     * error at one level); returns whether any is left. Not a morphological opening: evidence on an
     * object is interrupted by pixels clipped in both exposures, which an opening would erase.
     */
    private boolean keepClusters() {
        boolean any = false;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (evidence[i] == 0) {
                    continue;
                }
                int neighbours = 0;
                for (int dy = Math.max(0, y - 1); dy <= Math.min(height - 1, y + 1); dy++) {
                    for (int dx = Math.max(0, x - 1); dx <= Math.min(width - 1, x + 1); dx++) {
                        neighbours += evidence[dy * width + dx] & 1; // bit 0: the evidence before this pass
                    }
                }
                if (neighbours >= 2) {
                    evidence[i] = 3; // bit 1: kept
                    any = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            evidence[i] = (byte) (evidence[i] >> 1);
        }
        return any;
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
        toReferenceLut.close();
        toOtherLut.close();
        grown.close();
        soft.close();
        softPixels.close();
        grow.close();
        soften.close();
    }
}
