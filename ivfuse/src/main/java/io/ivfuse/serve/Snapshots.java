package io.ivfuse.serve;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameListener;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * A pair's latest frame as JPEG, for the status page. Nothing is copied per frame: a request asks
 * the output thread for the next frame, which copies that one frame's pictures into fresh arrays
 * and carries on; the request's thread encodes them (OpenCV imencode). A pair that has stopped
 * producing answers with the last frame it copied.
 */
final class Snapshots implements FrameListener {
    /** How long a request waits for the next frame before taking the last copied one. */
    private static final long WAIT_MS = 1500;
    private static final int JPEG_QUALITY = 85;

    enum View {
        FUSED, IR, VIS, SIDE_BY_SIDE;

        /** {@code fused}, {@code ir}, {@code vis} or {@code side-by-side}; null for anything else. */
        static View parse(String name) {
            for (View v : values()) {
                if (v.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** One frame's pictures: the output (YUV 4:2:0, video range), visible and registered IR luma (full range). */
    private record Frame(int width, int height, byte[] output, byte[] visibleY, byte[] infraredY) {
    }

    private volatile CountDownLatch wanted;
    private volatile Frame latest;

    @Override
    public void onOutput(FrameEvent e) {
        CountDownLatch request = wanted;
        if (request == null) {
            return;
        }
        ByteBuffer output = e.output.duplicate().clear();
        byte[] yuv = new byte[output.remaining()];
        output.get(yuv);
        latest = new Frame(e.outputY.width(), e.outputY.height(), yuv, e.visibleY.toArray(), e.registered.toArray());
        wanted = null;
        request.countDown();
    }

    /** The next frame (or the last one) as JPEG; null when the pair has produced none yet. */
    byte[] jpeg(View view) throws InterruptedException {
        CountDownLatch request;
        synchronized (this) {
            request = wanted;
            if (request == null) {
                request = new CountDownLatch(1);
                wanted = request;
            }
        }
        request.await(WAIT_MS, TimeUnit.MILLISECONDS);
        Frame f = latest;
        return f == null ? null : encode(f, view);
    }

    private static byte[] encode(Frame f, View view) {
        try (Mat yuv = bytes(f.height() * 3 / 2, f.width(), f.output());
             Mat fused = new Mat();
             Mat ir = bytes(f.height(), f.width(), f.infraredY());
             Mat picture = new Mat()) {
            cvtColor(yuv, fused, COLOR_YUV2BGR_I420);
            switch (view) {
                case FUSED -> fused.copyTo(picture);
                case IR -> ir.copyTo(picture);
                case VIS -> visible(f, yuv, picture);
                case SIDE_BY_SIDE -> {
                    try (Mat irBgr = new Mat(); Mat vis = new Mat(); MatVector row = new MatVector(3)) {
                        cvtColor(ir, irBgr, COLOR_GRAY2BGR);
                        visible(f, yuv, vis);
                        row.put(0, irBgr);
                        row.put(1, vis);
                        row.put(2, fused);
                        hconcat(row, picture);
                    }
                }
            }
            try (BytePointer jpeg = new BytePointer();
                 IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, JPEG_QUALITY)) {
                if (!imencode(".jpg", picture, jpeg, params)) {
                    throw new IllegalStateException("OpenCV could not encode a JPEG");
                }
                byte[] out = new byte[(int) jpeg.limit()];
                jpeg.get(out);
                return out;
            }
        }
    }

    /** The visible picture in colour: its luma brought to video range under the output's (visible) chroma. */
    private static void visible(Frame f, Mat fusedYuv, Mat bgr) {
        try (Mat yuv = fusedYuv.clone();
             Mat luma = bytes(f.height(), f.width(), f.visibleY());
             Mat y = yuv.rowRange(0, f.height())) {
            luma.convertTo(y, -1, 219.0 / 255.0, 16);
            cvtColor(yuv, bgr, COLOR_YUV2BGR_I420);
        }
    }

    private static Mat bytes(int rows, int cols, byte[] data) {
        Mat m = new Mat(rows, cols, CV_8UC1);
        m.data().put(data);
        return m;
    }
}
