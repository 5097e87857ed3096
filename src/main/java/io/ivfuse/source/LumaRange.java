package io.ivfuse.source;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * Converts luminance between video ("limited", 16..235) and full (0..255) range. Video files carry
 * limited-range Y, while infrared gray and the fusion engines work in full range, so the visible Y
 * is expanded on the way in and the fused Y compressed on the way out.
 */
public final class LumaRange {
    private static final byte[] LIMITED_TO_FULL = new byte[256];
    private static final byte[] FULL_TO_LIMITED = new byte[256];

    static {
        for (int v = 0; v < 256; v++) {
            LIMITED_TO_FULL[v] = (byte) clamp(Math.round((v - 16) * 255.0 / 219.0));
            FULL_TO_LIMITED[v] = (byte) clamp(Math.round(16 + v * 219.0 / 255.0));
        }
    }

    private LumaRange() {
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(255, v));
    }

    /** Copies a limited-range plane (rows of {@code srcStride} from {@code offset}) into {@code dst} as full range. */
    public static void toFull(ByteBuffer src, int offset, int srcStride, Plane dst) {
        map(src, offset, srcStride, dst.data(), 0, dst.stride(), dst.width(), dst.height(), LIMITED_TO_FULL);
    }

    /** Writes a full-range plane as limited range into {@code dst} (rows of {@code dstStride} from {@code offset}). */
    public static void toLimited(Plane src, ByteBuffer dst, int offset, int dstStride) {
        map(src.data(), 0, src.stride(), dst, offset, dstStride, src.width(), src.height(), FULL_TO_LIMITED);
    }

    public static int toFull(int v) {
        return LIMITED_TO_FULL[v] & 0xFF;
    }

    public static int toLimited(int v) {
        return FULL_TO_LIMITED[v] & 0xFF;
    }

    private static void map(ByteBuffer src, int srcOff, int srcStride, ByteBuffer dst, int dstOff, int dstStride,
                            int width, int height, byte[] lut) {
        for (int y = 0; y < height; y++) {
            int s = srcOff + y * srcStride;
            int d = dstOff + y * dstStride;
            for (int x = 0; x < width; x++) {
                dst.put(d + x, lut[src.get(s + x) & 0xFF]);
            }
        }
    }
}
