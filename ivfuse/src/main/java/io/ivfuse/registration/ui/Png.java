package io.ivfuse.registration.ui;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** An image as PNG bytes, for the page (OpenCV's encoder). */
final class Png {
    private Png() {
    }

    static byte[] encode(Mat image) {
        try (BytePointer png = new BytePointer()) {
            if (!imencode(".png", image, png)) {
                throw new IllegalStateException("OpenCV could not encode a PNG of " + image);
            }
            byte[] out = new byte[(int) png.limit()];
            png.get(out);
            return out;
        }
    }
}
