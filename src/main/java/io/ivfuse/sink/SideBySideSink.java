package io.ivfuse.sink;

import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import io.ivfuse.source.LumaRange;
import java.nio.ByteBuffer;

/**
 * Writes a comparison video three frames wide: registered IR | visible | fused. The IR panel is
 * gray (neutral chroma); the other two carry the visible chroma. The composite is assembled in one
 * buffer allocated at start.
 */
public final class SideBySideSink implements FrameSink {
    private static final byte NEUTRAL_CHROMA = (byte) 128;
    private final VideoEncoder encoder;
    private final ByteBuffer composite;
    private final int width;
    private final int height;
    private final int chromaW;
    private final int chromaH;
    private long firstUs = Long.MIN_VALUE;

    /** The encoder must be opened for (3 x width) x height. */
    public SideBySideSink(VideoEncoder encoder, FrameGeometry g) {
        this.encoder = encoder;
        this.width = g.width();
        this.height = g.height();
        this.chromaW = g.chromaWidth();
        this.chromaH = g.chromaHeight();
        this.composite = ByteBuffer.allocateDirect(3 * width * height + 2 * 3 * chromaW * chromaH);
        for (int i = 3 * width * height; i < composite.capacity(); i++) {
            composite.put(i, NEUTRAL_CHROMA);
        }
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry g) {
        int stride = 3 * width;
        LumaRange.toLimited(frame.registered, composite, 0, stride);
        LumaRange.toLimited(frame.visibleY, composite, width, stride);
        copyRows(frame.output, 0, width, composite, 2 * width, stride, width, height);
        int uOut = 3 * width * height;
        int vOut = uOut + 3 * chromaW * chromaH;
        int uIn = g.chromaOffset();
        int vIn = uIn + chromaW * chromaH;
        for (int panel = 1; panel <= 2; panel++) {
            copyRows(frame.output, uIn, chromaW, composite, uOut + panel * chromaW, 3 * chromaW, chromaW, chromaH);
            copyRows(frame.output, vIn, chromaW, composite, vOut + panel * chromaW, 3 * chromaW, chromaW, chromaH);
        }
        if (firstUs == Long.MIN_VALUE) {
            firstUs = frame.visibleUs;
        }
        encoder.write(composite, frame.visibleUs - firstUs);
    }

    private static void copyRows(ByteBuffer src, int srcOff, int srcStride, ByteBuffer dst, int dstOff, int dstStride,
                                 int rowBytes, int rows) {
        for (int y = 0; y < rows; y++) {
            dst.put(dstOff + y * dstStride, src, srcOff + y * srcStride, rowBytes);
        }
    }

    @Override
    public void close() {
        encoder.close();
    }
}
