package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;
import java.awt.GraphicsEnvironment;
import javax.swing.WindowConstants;
import org.bytedeco.javacv.CanvasFrame;
import org.bytedeco.javacv.OpenCVFrameConverter;

/** A preview window (JavaCV's CanvasFrame) showing the fused stream, at most ~30 updates a second. */
public final class PreviewSink implements FrameSink {
    private static final long MIN_INTERVAL_NANOS = 33_000_000L;
    private final CanvasFrame canvas;
    private final YuvToBgr converter;
    private final OpenCVFrameConverter.ToMat toFrame = new OpenCVFrameConverter.ToMat();
    private long lastShown;
    private boolean closed;

    public PreviewSink(FrameGeometry g) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IvfuseException("--display needs a graphical display, and this session has none (DISPLAY is not set)");
        }
        canvas = new CanvasFrame("ivfuse", 1.0);
        canvas.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        canvas.setCanvasSize(g.width(), g.height());
        converter = new YuvToBgr(g.width(), g.height());
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry geometry) {
        long now = System.nanoTime();
        if (now - lastShown < MIN_INTERVAL_NANOS || !canvas.isVisible()) {
            return;
        }
        lastShown = now;
        canvas.showImage(toFrame.convert(converter.convert(frame.output)));
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
