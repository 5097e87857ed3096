package io.ivfuse.sync;

/**
 * Tells the exposures of an alternating-exposure ({@code --bracketed}) stream apart by mean
 * brightness, with hysteresis: a frame is the brighter exposure when it is brighter than the frame
 * before by more than a margin, the darker one when darker by more, and otherwise the same
 * exposure as the frame before (a repeated or dropped frame, or the scene changing slowly). The
 * margin ({@link #MIN_STEP} levels, or {@link #RELATIVE_STEP} of the brighter mean) keeps noise and
 * auto-exposure drift from flipping labels. The first frames are {@link Exposure#UNKNOWN} until the
 * first step; the frame before a step takes the label opposite to the step's.
 */
public final class ExposureLabeler {
    /** Smallest brightness step (0..255 full-range luminance) that counts as an exposure change. */
    public static final double MIN_STEP = 6;
    /** A step must also be this share of the brighter frame's mean. */
    public static final double RELATIVE_STEP = 0.1;

    public enum Exposure { UNKNOWN, UNDER, OVER }

    private double lastMean = Double.NaN;
    private Exposure last = Exposure.UNKNOWN;
    private double minMean = Double.POSITIVE_INFINITY;
    private double maxMean = Double.NEGATIVE_INFINITY;
    private long frames;

    /** The label of the next frame, whose mean luminance is {@code mean}. */
    public Exposure label(double mean) {
        frames++;
        minMean = Math.min(minMean, mean);
        maxMean = Math.max(maxMean, mean);
        Exposure label = last;
        if (!Double.isNaN(lastMean)) {
            double step = mean - lastMean;
            if (Math.abs(step) > margin(mean, lastMean)) {
                label = step > 0 ? Exposure.OVER : Exposure.UNDER;
            }
        }
        lastMean = mean;
        last = label;
        return label;
    }

    /** The step a change of exposure needs between frames of these means. */
    static double margin(double a, double b) {
        return Math.max(MIN_STEP, RELATIVE_STEP * Math.max(a, b));
    }

    /** Frames labelled so far. */
    public long frames() {
        return frames;
    }

    /** True once some frame has been told apart from the one before. */
    public boolean changed() {
        return last != Exposure.UNKNOWN;
    }

    public double minMean() {
        return minMean;
    }

    public double maxMean() {
        return maxMean;
    }
}
