package io.ivfuse.source;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.LUT;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Converts luminance between video ("limited", 16..235) and full (0..255) range. Video files carry
 * limited-range Y, while infrared gray and the fusion engines work in full range, so the visible Y
 * is expanded on the way in and the fused Y compressed on the way out. A 256-entry table applied
 * with OpenCV's vectorised {@code LUT}; one instance per thread (it caches Mat views).
 */
public final class LumaRange implements AutoCloseable {
    private static final byte[] LIMITED_TO_FULL = new byte[256];
    private static final byte[] FULL_TO_LIMITED = new byte[256];

    static {
        for (int v = 0; v < 256; v++) {
            LIMITED_TO_FULL[v] = (byte) clamp(Math.round((v - 16) * 255.0 / 219.0));
            FULL_TO_LIMITED[v] = (byte) clamp(Math.round(16 + v * 219.0 / 255.0));
        }
    }

    private final MatViews views = new MatViews();
    private final Mat toFullTable = table(LIMITED_TO_FULL);
    private final Mat toLimitedTable = table(FULL_TO_LIMITED);

    private static Mat table(byte[] values) {
        Mat m = new Mat(1, 256, CV_8UC1);
        m.data().put(values);
        return m;
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Writes the limited-range plane {@code limited} into {@code full} as full range (same size). */
    public void toFull(Plane limited, Plane full) {
        LUT(views.of(limited), toFullTable, views.of(full));
    }

    /** Writes the full-range plane {@code full} into {@code limited} as limited range (same size). */
    public void toLimited(Plane full, Plane limited) {
        LUT(views.of(full), toLimitedTable, views.of(limited));
    }

    public static int toFull(int v) {
        return LIMITED_TO_FULL[v] & 0xFF;
    }

    public static int toLimited(int v) {
        return FULL_TO_LIMITED[v] & 0xFF;
    }

    @Override
    public void close() {
        views.close();
        toFullTable.close();
        toLimitedTable.close();
    }
}
