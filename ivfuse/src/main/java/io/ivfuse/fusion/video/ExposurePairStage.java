package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.LUT;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * What ghost suppression and weight smoothing share: the pair's low-resolution luma, the motion
 * mask between them, the argument checks and closing once. One frame size; buffers made once.
 */
abstract class ExposurePairStage implements AutoCloseable {
    protected final MatViews views = new MatViews();
    protected final LowResolution low;
    protected final byte[] under;
    protected final byte[] over;
    protected final MotionMask motion;
    private final byte[] referenceSamples;
    private final byte[] otherSamples;
    private final byte[] predictedReference;
    private final byte[] predictedOther;
    /** After {@link #look}: the reference mapped to the other exposure's levels, full size. */
    protected final Mat referenceAsOther;
    private boolean closed;

    ExposurePairStage(int width, int height, int threshold) {
        low = new LowResolution(width, height);
        under = low.newArray();
        over = low.newArray();
        motion = new MotionMask(low.width, low.height, threshold);
        referenceSamples = low.newArray();
        otherSamples = low.newArray();
        predictedReference = low.newArray();
        predictedOther = low.newArray();
        referenceAsOther = new Mat(height, width, CV_8U);
    }

    /**
     * Shrinks the pair (under, over) and finds what moved in it against {@code reference} (0 or 1);
     * returns whether anything did ({@link #motion} holds the mask, all 0 when not).
     */
    protected final boolean look(YuvPlanes[] exposures, int reference) {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        if (exposures.length != 2 || reference < 0 || reference > 1) {
            throw new IllegalArgumentException("exposure video takes 2 exposures and a reference 0 or 1, got "
                    + exposures.length + " and " + reference);
        }
        Plane ref = exposures[reference].y();
        Plane other = exposures[1 - reference].y();
        low.sample(views, ref, referenceSamples);
        low.sample(views, other, otherSamples);
        motion.fit(referenceSamples, otherSamples);
        LUT(views.of(other), motion.toReference(), referenceAsOther); // scratch, until the next line
        low.shrink(referenceAsOther, predictedReference);
        LUT(views.of(ref), motion.toOther(), referenceAsOther);
        low.shrink(referenceAsOther, predictedOther);
        low.shrink(views, exposures[0].y(), under);
        low.shrink(views, exposures[1].y(), over);
        return motion.compute(reference == 0 ? under : over, reference == 0 ? over : under, predictedReference,
                predictedOther);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        views.close();
        low.close();
        motion.close();
        referenceAsOther.close();
        release();
    }

    /** Frees what the subclass owns; called once. */
    protected abstract void release();
}
