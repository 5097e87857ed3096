package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cleans up a fused frame of exposure video, whichever engine fused it, from the two exposures it
 * was fused from. Both steps work on the weight the output gives each exposure, at a quarter of the
 * size on each side:
 * <ol>
 * <li>ghost suppression ({@link MotionMask}): where the exposures disagree after intensity mapping,
 *     the weight goes to the reference exposure, so the output shows the reference's content
 *     there (a sliding pair's latest frame) and a moving object is not doubled; luma and chroma
 *     are blended towards the reference by the soft mask at full resolution;</li>
 * <li>temporal smoothing ({@link WeightSmoothing}): the weight map follows an exponential moving
 *     average, restarted where things move and at scene cuts, so an exposure step does not flicker.</li>
 * </ol>
 * The engines' own weights stay inside them (OpenCV's MergeMertens and a network do not expose
 * theirs), so the weight is read back from the fused frame itself; for a per-pixel convex blend
 * (mef-lut's base layer) this is exact. One frame size; every buffer is made when it opens; used by
 * one thread, on frames in order.
 */
public final class ExposureVideoFilter implements AutoCloseable {
    /** The low-resolution copies are this many times smaller on each side. */
    static final int SCALE = 4;

    private final MefVideoOptions options;
    private final int pixels;
    private final MatViews views = new MatViews();
    private final Size lowSize;
    private final Size fullSize;
    private final Size chromaSize;
    private final Mat lowLuma;
    private final BytePointer lowPixels;
    private final byte[] under;
    private final byte[] over;
    private final byte[] fused;
    private final MotionMask motion;
    private final WeightSmoothing smoothing;
    private final SceneCut cuts;
    private final Mat lowCorrection;
    private final FloatPointer lowCorrectionPixels;
    private final Mat fullCorrection;
    private final Mat fullMask;
    private final Mat fullKeep;
    private final Mat chromaMask;
    private final Mat chromaKeep;
    private final Mat noMask = new Mat();
    private boolean closed;

    public ExposureVideoFilter(MefVideoOptions options, int width, int height, boolean subsampledChroma) {
        this.options = options;
        int lw = Math.max(1, (width + SCALE - 1) / SCALE);
        int lh = Math.max(1, (height + SCALE - 1) / SCALE);
        pixels = lw * lh;
        lowSize = new Size(lw, lh);
        fullSize = new Size(width, height);
        int cw = YuvPlanes.chromaSide(width, subsampledChroma);
        int ch = YuvPlanes.chromaSide(height, subsampledChroma);
        chromaSize = new Size(cw, ch);
        lowLuma = new Mat(lh, lw, CV_8U);
        lowPixels = lowLuma.data();
        under = new byte[pixels];
        over = new byte[pixels];
        fused = new byte[pixels];
        motion = new MotionMask(lw, lh, options.threshold());
        smoothing = new WeightSmoothing(pixels, options.weightSmoothing());
        cuts = new SceneCut(pixels, 2);
        lowCorrection = new Mat(lh, lw, CV_32F);
        lowCorrectionPixels = new FloatPointer(lowCorrection.data());
        fullCorrection = new Mat(height, width, CV_32F);
        fullMask = new Mat(height, width, CV_32F);
        fullKeep = new Mat(height, width, CV_32F);
        chromaMask = new Mat(ch, cw, CV_32F);
        chromaKeep = new Mat(ch, cw, CV_32F);
    }

    /**
     * Corrects {@code result}, fused from {@code exposures} (under, over), in place.
     *
     * @param reference the index of the exposure a moving region is taken from
     */
    public void apply(YuvPlanes[] exposures, int reference, YuvPlanes result) {
        if (closed) {
            throw new IllegalStateException("exposure video filter is closed");
        }
        if (exposures.length != 2 || reference < 0 || reference > 1) {
            throw new IllegalArgumentException("the filter takes 2 exposures and a reference 0 or 1, got "
                    + exposures.length + " and " + reference);
        }
        shrink(exposures[0].y(), under);
        shrink(exposures[1].y(), over);
        boolean cut = cuts.check(0, under) | cuts.check(1, over); // both: each remembers its frame
        boolean moving = options.deghost()
                && motion.compute(reference == 0 ? under : over, reference == 0 ? over : under);
        if (!moving) {
            motion.clear();
        }
        if (options.weightSmoothing() > 0) {
            shrink(result.y(), fused);
            lowCorrectionPixels.put(smoothing.update(under, over, fused, motion.values(), cut), 0, pixels);
            resize(lowCorrection, fullCorrection, fullSize, 0, 0, INTER_LINEAR);
            Mat y = views.of(result.y());
            add(y, fullCorrection, y, noMask, CV_8U);
        }
        if (moving) {
            YuvPlanes ref = exposures[reference];
            resize(motion.soft(), fullMask, fullSize, 0, 0, INTER_LINEAR);
            towards(ref.y(), result.y(), fullMask, fullKeep);
            resize(motion.soft(), chromaMask, chromaSize, 0, 0, INTER_LINEAR);
            towards(ref.cb(), result.cb(), chromaMask, chromaKeep);
            towards(ref.cr(), result.cr(), chromaMask, chromaKeep);
        }
    }

    /** result = mask reference + (1 - mask) result, per pixel. */
    private void towards(Plane reference, Plane result, Mat mask, Mat keep) {
        mask.convertTo(keep, CV_32F, -1, 1);
        Mat out = views.of(result);
        blendLinear(views.of(reference), out, mask, keep, out);
    }

    private void shrink(Plane y, byte[] into) {
        resize(views.of(y), lowLuma, lowSize, 0, 0, INTER_AREA);
        lowPixels.get(into, 0, pixels);
    }

    /** Forgets the history (a new clip). */
    public void reset() {
        smoothing.reset();
        cuts.reset();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        views.close();
        motion.close();
        lowCorrectionPixels.close();
        for (AutoCloseable c : new AutoCloseable[] {lowLuma, lowCorrection, fullCorrection, fullMask, fullKeep,
                chromaMask, chromaKeep, noMask, lowSize, fullSize, chromaSize}) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
