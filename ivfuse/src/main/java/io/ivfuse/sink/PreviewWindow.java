package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import java.awt.GraphicsEnvironment;
import java.nio.ByteBuffer;
import javax.swing.WindowConstants;
import org.bytedeco.javacv.CanvasFrame;
import org.bytedeco.javacv.OpenCVFrameConverter;

/** A preview window (JavaCV's CanvasFrame) showing an output's pictures, at most ~30 updates a second. */
final class PreviewWindow implements PictureWriter {
    static final String NO_DISPLAY = "--display needs a graphical display, and this session has none (DISPLAY is not set)";
    private static final long MIN_INTERVAL_NANOS = 33_000_000L;
    private final CanvasFrame canvas;
    private final YuvToBgr converter;
    private final OpenCVFrameConverter.ToMat toFrame = new OpenCVFrameConverter.ToMat();
    private long lastShown;
    private boolean closed;

    PreviewWindow(int width, int height) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IvfuseException(NO_DISPLAY);
        }
        canvas = new CanvasFrame("ivfuse", 1.0);
        canvas.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        canvas.setCanvasSize(width, height);
        converter = new YuvToBgr(width, height);
    }

    @Override
    public void write(ByteBuffer yuv420p, long frameIndex, long timestampUs) {
        long now = System.nanoTime();
        if (now - lastShown < MIN_INTERVAL_NANOS || !canvas.isVisible()) {
            return;
        }
        lastShown = now;
        canvas.showImage(toFrame.convert(converter.convert(yuv420p)));
    }

    @Override
    public String encoder() {
        return "display";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            canvas.dispose();
            converter.close();
            toFrame.close();
        }
    }
}
