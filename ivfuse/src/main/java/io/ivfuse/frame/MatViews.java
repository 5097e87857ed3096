package io.ivfuse.frame;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * OpenCV {@link Mat} headers over {@link Plane}s, made once per plane and reused, so code that
 * calls OpenCV on every frame allocates nothing in steady state (the ring's planes are fixed).
 * Not thread-safe: one per thread. Closing releases the headers, never the planes' memory.
 */
public final class MatViews implements AutoCloseable {
    private final Map<Plane, Mat> views = new IdentityHashMap<>();

    /** A CV_8UC1 header over the plane's pixels (no copy). */
    public Mat of(Plane plane) {
        Mat view = views.get(plane);
        if (view == null) {
            BytePointer pixels = new BytePointer(plane.data());
            view = new Mat(plane.height(), plane.width(), CV_8UC1, pixels, plane.stride());
            views.put(plane, view);
        }
        return view;
    }

    @Override
    public void close() {
        views.values().forEach(Mat::close);
        views.clear();
    }
}
