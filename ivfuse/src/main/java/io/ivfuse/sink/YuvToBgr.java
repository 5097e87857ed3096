package io.ivfuse.sink;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Converts the ring's packed YUV 4:2:0 output pictures to BGR with OpenCV, into one reused BGR
 * image. Mat headers over the ring's buffers are made once per buffer. Even sizes only.
 */
final class YuvToBgr implements AutoCloseable {
    private final int width;
    private final int height;
    private final Mat bgr;
    private final Map<ByteBuffer, Mat> views = new IdentityHashMap<>();

    YuvToBgr(int width, int height) {
        this.width = width;
        this.height = height;
        this.bgr = new Mat(height, width, CV_8UC3);
    }

    Mat convert(ByteBuffer yuv420p) {
        Mat yuv = views.computeIfAbsent(yuv420p, b -> new Mat(height * 3 / 2, width, CV_8UC1, new BytePointer(b)));
        cvtColor(yuv, bgr, COLOR_YUV2BGR_I420);
        return bgr;
    }

    @Override
    public void close() {
        views.values().forEach(Mat::close);
        views.clear();
        bgr.close();
    }
}
