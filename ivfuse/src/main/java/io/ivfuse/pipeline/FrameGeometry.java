package io.ivfuse.pipeline;

/**
 * Frame sizes for one run: the visible (and output) size, the IR size, and the packed YUV 4:2:0
 * output layout (Y, then U, then V, no padding).
 */
public record FrameGeometry(int width, int height, int irWidth, int irHeight) {

    public int chromaWidth() {
        return (width + 1) / 2;
    }

    public int chromaHeight() {
        return (height + 1) / 2;
    }

    /** Where U starts in the packed output buffer. */
    public int chromaOffset() {
        return width * height;
    }

    public int outputBytes() {
        return width * height + 2 * chromaWidth() * chromaHeight();
    }
}
