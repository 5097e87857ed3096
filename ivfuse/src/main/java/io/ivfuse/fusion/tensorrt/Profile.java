package io.ivfuse.fusion.tensorrt;

/**
 * A TensorRT optimisation profile over the padded input size (H and W dynamic, batch and channel 1):
 * from one size multiple up to the stream's padded size, tuned for the stream's size.
 */
public record Profile(int minWidth, int minHeight, int optWidth, int optHeight, int maxWidth, int maxHeight) {

    public Profile {
        if (minWidth <= 0 || minHeight <= 0 || optWidth < minWidth || optHeight < minHeight || maxWidth < optWidth
                || maxHeight < optHeight) {
            throw new IllegalArgumentException("bad profile " + minWidth + "x" + minHeight + " <= " + optWidth + "x"
                    + optHeight + " <= " + maxWidth + "x" + maxHeight);
        }
    }

    /** The profile for a stream whose padded frames are {@code paddedWidth} x {@code paddedHeight}. */
    public static Profile forStream(int paddedWidth, int paddedHeight, int sizeMultiple) {
        return new Profile(sizeMultiple, sizeMultiple, paddedWidth, paddedHeight, paddedWidth, paddedHeight);
    }

    /** Whether a padded frame of this size may run on an engine built with this profile. */
    public boolean covers(int paddedWidth, int paddedHeight) {
        return paddedWidth >= minWidth && paddedHeight >= minHeight && paddedWidth <= maxWidth && paddedHeight <= maxHeight;
    }

    @Override
    public String toString() {
        return minWidth + "x" + minHeight + "-" + optWidth + "x" + optHeight + "-" + maxWidth + "x" + maxHeight;
    }
}
