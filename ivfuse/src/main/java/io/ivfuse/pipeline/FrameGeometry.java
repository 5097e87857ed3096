package io.ivfuse.pipeline;

/**
 * Frame sizes for one run: the first input's (visible, or the under exposure's) size, which is the
 * output size, the second input's (IR, or the over exposure's) size, and the packed YUV 4:2:0
 * output layout (Y, then U, then V, no padding). {@code secondChroma}: the second input is a
 * colour one whose chroma travels with it ({@code --mode mef}); an IR input has none.
 */
public record FrameGeometry(int width, int height, int irWidth, int irHeight, boolean secondChroma) {

    /** Infrared + visible: a gray second input. */
    public FrameGeometry(int width, int height, int irWidth, int irHeight) {
        this(width, height, irWidth, irHeight, false);
    }

    public int chromaWidth() {
        return (width + 1) / 2;
    }

    public int chromaHeight() {
        return (height + 1) / 2;
    }

    /** The second input's chroma plane size (4:2:0). */
    public int irChromaWidth() {
        return (irWidth + 1) / 2;
    }

    public int irChromaHeight() {
        return (irHeight + 1) / 2;
    }

    /** Where U starts in the packed output buffer. */
    public int chromaOffset() {
        return width * height;
    }

    /** Bytes of the packed U and V planes of the output. */
    public int chromaBytes() {
        return 2 * chromaWidth() * chromaHeight();
    }

    public int outputBytes() {
        return width * height + chromaBytes();
    }
}
