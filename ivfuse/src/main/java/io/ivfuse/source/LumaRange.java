package io.ivfuse.source;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;

/**
 * Converts luminance between video ("limited", 16..235) and full (0..255) range. Video files carry
 * limited-range Y, while infrared gray and the fusion engines work in full range, so the visible Y
 * is expanded on the way in and the fused Y compressed on the way out. The planes are mapped with
 * OpenCV's vectorised multiply-add ({@code convertTo} with a scale and offset, rounded to nearest),
 * three times faster than its table lookup ({@code LUT}) and giving exactly the tables below: no
 * value lands within 1/170 of a rounding tie, far beyond float error (LumaRangeTest checks all
 * 256). A plane may be mapped in place. One instance per thread (it caches Mat views).
 */
public final class LumaRange implements AutoCloseable {
    private static final byte[] LIMITED_TO_FULL = new byte[256];
    private static final byte[] FULL_TO_LIMITED = new byte[256];
    private static final double TO_FULL_SCALE = 255.0 / 219.0;
    private static final double TO_FULL_OFFSET = -16 * 255.0 / 219.0;
    private static final double TO_LIMITED_SCALE = 219.0 / 255.0;
    private static final double TO_LIMITED_OFFSET = 16;

    static {
        for (int v = 0; v < 256; v++) {
            LIMITED_TO_FULL[v] = (byte) clamp(Math.round((v - 16) * 255.0 / 219.0));
            FULL_TO_LIMITED[v] = (byte) clamp(Math.round(16 + v * 219.0 / 255.0));
        }
    }

    private final MatViews views = new MatViews();

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Writes the limited-range plane {@code limited} into {@code full} as full range (same size; may be the same plane). */
    public void toFull(Plane limited, Plane full) {
        views.of(limited).convertTo(views.of(full), CV_8U, TO_FULL_SCALE, TO_FULL_OFFSET);
    }

    /** Writes the full-range plane {@code full} into {@code limited} as limited range (same size; may be the same plane). */
    public void toLimited(Plane full, Plane limited) {
        views.of(full).convertTo(views.of(limited), CV_8U, TO_LIMITED_SCALE, TO_LIMITED_OFFSET);
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
    }
}
