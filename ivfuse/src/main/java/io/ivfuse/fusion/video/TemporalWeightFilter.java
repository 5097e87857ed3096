package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.YuvPlanes;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Temporal smoothing of the weight map after fusion, for every engine ({@link WeightSmoothing}):
 * the fused luma gets the low-resolution correction that makes its blend of the two exposures
 * follow the weights' moving average, upsampled bilinearly. The average restarts where the
 * exposures show motion ({@link MotionMask}, which needs no ghost suppression to be on) and on a
 * scene cut ({@link SceneCut}). Chroma is left to the engine (|C - 128| is not a weight map).
 *
 * <p>Frames must come in order, one thread; one frame size; buffers are made once.
 */
public final class TemporalWeightFilter extends ExposurePairStage {
    private final byte[] fused;
    private final SceneCut cuts;
    private final WeightSmoothing smoothing;
    private final Size fullSize;
    private final Mat lowCorrection;
    private final FloatPointer lowCorrectionPixels;
    private final Mat fullCorrection;
    private final Mat noMask = new Mat();

    /**
     * @param keep      share of the previous weight kept each frame, in (0, 1)
     * @param threshold the motion mask's threshold (gray levels)
     */
    public TemporalWeightFilter(int width, int height, double keep, int threshold) {
        super(width, height, threshold);
        fused = low.newArray();
        cuts = new SceneCut(low.pixels, 2);
        smoothing = new WeightSmoothing(low.pixels, keep);
        fullSize = new Size(width, height);
        lowCorrection = new Mat(low.height, low.width, CV_32F);
        lowCorrectionPixels = new FloatPointer(lowCorrection.data());
        fullCorrection = new Mat(height, width, CV_32F);
    }

    /**
     * Smooths the weights of {@code result}, fused from {@code exposures} (under, over), in place.
     *
     * @param reference the exposure the motion mask takes as still (the latest frame of a bracketed stream)
     */
    public void apply(YuvPlanes[] exposures, int reference, YuvPlanes result) {
        look(exposures, reference); // the mask is all 0 when still
        low.shrink(views, result.y(), fused);
        boolean cut = cuts.check(0, under) | cuts.check(1, over); // both: each remembers its frame
        lowCorrectionPixels.put(smoothing.update(under, over, fused, motion.values(), cut), 0, low.pixels);
        resize(lowCorrection, fullCorrection, fullSize, 0, 0, INTER_LINEAR);
        Mat y = views.of(result.y());
        add(y, fullCorrection, y, noMask, CV_8U);
    }

    /** Forgets the history (a new clip). */
    public void reset() {
        smoothing.reset();
        cuts.reset();
    }

    @Override
    protected void release() {
        lowCorrectionPixels.close();
        Closing.close(fullSize, lowCorrection, fullCorrection, noMask);
    }
}
