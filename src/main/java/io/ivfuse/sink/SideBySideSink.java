package io.ivfuse.sink;

import io.ivfuse.frame.Plane;
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
    private final Plane irPanel;
    private final Plane visiblePanel;
    private final Plane fusedPanel;
    private final LumaRange range = new LumaRange();
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
        int stride = 3 * width;
        irPanel = Plane.wrap(composite.slice(0, stride * height), width, height, stride);
        visiblePanel = Plane.wrap(composite.slice(width, stride * height - width), width, height, stride);
        fusedPanel = Plane.wrap(composite.slice(2 * width, stride * height - 2 * width), width, height, stride);
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry g) {
        range.toLimited(frame.registered, irPanel);
        range.toLimited(frame.visibleY, visiblePanel);
        fusedPanel.copyFrom(frame.outputY);
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
        range.close();
    }
}
