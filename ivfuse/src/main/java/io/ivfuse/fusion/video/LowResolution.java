package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Area-averaged copies of luma planes at {@link #SCALE} times smaller on each side, as Java
 * arrays: motion and weights are judged there (noise averages out, and the per-pixel work in Java
 * is a sixteenth). One frame size; buffers made once; one thread.
 */
final class LowResolution implements AutoCloseable {
    static final int SCALE = 4;

    final int width;
    final int height;
    final int pixels;
    private final Size size;
    private final Mat low;
    private final BytePointer lowPixels;

    LowResolution(int fullWidth, int fullHeight) {
        width = Math.max(1, (fullWidth + SCALE - 1) / SCALE);
        height = Math.max(1, (fullHeight + SCALE - 1) / SCALE);
        pixels = width * height;
        size = new Size(width, height);
        low = new Mat(height, width, CV_8U);
        lowPixels = low.data();
    }

    byte[] newArray() {
        return new byte[pixels];
    }

    /** The low-resolution copy of {@code plane} into {@code into}. */
    void shrink(MatViews views, Plane plane, byte[] into) {
        shrink(views.of(plane), into);
    }

    /** The low-resolution (area-averaged) copy of an 8-bit full-size Mat into {@code into}. */
    void shrink(Mat full, byte[] into) {
        resize(full, low, size, 0, 0, INTER_AREA);
        lowPixels.get(into, 0, pixels);
    }

    /** Every {@code SCALE}-th pixel of {@code plane}, unaveraged: its levels' true distribution. */
    void sample(MatViews views, Plane plane, byte[] into) {
        resize(views.of(plane), low, size, 0, 0, INTER_NEAREST);
        lowPixels.get(into, 0, pixels);
    }

    @Override
    public void close() {
        low.close();
        size.close();
    }
}
