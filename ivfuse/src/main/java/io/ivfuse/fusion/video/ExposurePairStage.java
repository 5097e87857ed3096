package io.ivfuse.fusion.video;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.YuvPlanes;

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
    private boolean closed;

    ExposurePairStage(int width, int height, int threshold) {
        low = new LowResolution(width, height);
        under = low.newArray();
        over = low.newArray();
        motion = new MotionMask(low.width, low.height, threshold);
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
        low.shrink(views, exposures[0].y(), under);
        low.shrink(views, exposures[1].y(), over);
        return motion.compute(reference == 0 ? under : over, reference == 0 ? over : under);
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
        release();
    }

    /** Frees what the subclass owns; called once. */
    protected abstract void release();
}
