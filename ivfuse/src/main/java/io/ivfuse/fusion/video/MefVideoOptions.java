package io.ivfuse.fusion.video;

/**
 * How exposure video is cleaned up after fusion ({@code fusion.mef.*}, {@code run --deghost},
 * {@code --weight-smoothing}, {@code --deghost-reference}).
 *
 * @param deghost          suppress ghosts: where the exposures disagree after intensity mapping,
 *                         the output shows the reference exposure ({@link MotionMask})
 * @param threshold        the disagreement, in gray levels, above which a pixel counts as moving
 * @param weightSmoothing  share of the previous frame's weight map kept each frame (0 = off, below 1;
 *                         {@link WeightSmoothing})
 * @param reference        two cameras: the exposure shown where things move; a bracketed stream's
 *                         reference is always its latest frame
 */
public record MefVideoOptions(boolean deghost, int threshold, double weightSmoothing, Reference reference) {
    public static final int DEFAULT_THRESHOLD = 24;
    public static final double DEFAULT_WEIGHT_SMOOTHING = 0.5;

    /** Which of two exposure cameras a moving region is taken from. */
    public enum Reference { UNDER, OVER }

    public MefVideoOptions {
        if (threshold < 1 || threshold > 255) {
            throw new IllegalArgumentException("deghost threshold must be 1..255, got " + threshold);
        }
        if (!(weightSmoothing >= 0 && weightSmoothing < 1)) {
            throw new IllegalArgumentException("weight smoothing must be in [0, 1), got " + weightSmoothing);
        }
    }

    public static MefVideoOptions off() {
        return new MefVideoOptions(false, DEFAULT_THRESHOLD, 0, Reference.UNDER);
    }

    /** Whether anything is done at all. */
    public boolean enabled() {
        return deghost || weightSmoothing > 0;
    }

    /** The reference's index among exposures ordered darkest first (two cameras). */
    public int referenceIndex() {
        return reference == Reference.UNDER ? 0 : 1;
    }
}
