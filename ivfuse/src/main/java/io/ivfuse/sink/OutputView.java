package io.ivfuse.sink;

import io.ivfuse.config.IvfuseConfig.View;
import io.ivfuse.frame.Plane;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.source.LumaRange;
import java.nio.ByteBuffer;

/**
 * What an output shows, as one packed YUV 4:2:0 picture per frame: the fused stream as it leaves
 * the ring, or the IR | visible | fused comparison. Used on the ring's output thread; buffers are
 * allocated once.
 */
abstract class OutputView implements AutoCloseable {

    static OutputView of(View view, FrameGeometry g) {
        return view == View.SIDE_BY_SIDE ? new SideBySide(g) : new Fused(g);
    }

    abstract int width();

    abstract int height();

    final int bytes() {
        return width() * height() + 2 * ((width() + 1) / 2) * ((height() + 1) / 2);
    }

    /** This frame's picture: the event's own buffer or the view's; valid until the next call. */
    abstract ByteBuffer picture(FrameEvent frame, FrameGeometry g);

    /** Copies this frame's picture into {@code into} (at least {@link #bytes()} long). */
    final void copyInto(FrameEvent frame, FrameGeometry g, ByteBuffer into) {
        into.put(0, picture(frame, g), 0, bytes());
    }

    @Override
    public void close() {
    }

    /** The fused picture itself: no copy. */
    static final class Fused extends OutputView {
        private final FrameGeometry g;

        Fused(FrameGeometry g) {
            this.g = g;
        }

        @Override
        int width() {
            return g.width();
        }

        @Override
        int height() {
            return g.height();
        }

        @Override
        ByteBuffer picture(FrameEvent frame, FrameGeometry geometry) {
            return frame.output;
        }
    }

    /**
     * A comparison three frames wide: registered IR | visible | fused. The IR panel is gray (neutral
     * chroma); the other two carry the visible chroma. Assembled in one buffer allocated at start.
     */
    static final class SideBySide extends OutputView {
        private static final byte NEUTRAL_CHROMA = (byte) 128;
        private final ByteBuffer composite;
        private final int width;
        private final int height;
        private final int chromaW;
        private final int chromaH;
        private final Plane irPanel;
        private final Plane visiblePanel;
        private final Plane fusedPanel;
        private final LumaRange range = new LumaRange();

        SideBySide(FrameGeometry g) {
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
        int width() {
            return 3 * width;
        }

        @Override
        int height() {
            return height;
        }

        @Override
        ByteBuffer picture(FrameEvent frame, FrameGeometry g) {
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
            return composite;
        }

        private static void copyRows(ByteBuffer src, int srcOff, int srcStride, ByteBuffer dst, int dstOff, int dstStride,
                                     int rowBytes, int rows) {
            for (int y = 0; y < rows; y++) {
                dst.put(dstOff + y * dstStride, src, srcOff + y * srcStride, rowBytes);
            }
        }

        @Override
        public void close() {
            range.close();
        }
    }
}
