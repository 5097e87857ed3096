package io.ivfuse.bench;

import io.ivfuse.frame.Plane;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Per-pixel rules on 8-bit planes, eight pixels at a time: each {@code long} read from a plane
 * holds eight unsigned bytes, and the rules are written so that no carry or borrow crosses from
 * one byte into the next (SIMD within a register). Reads and writes go through a fixed-order view,
 * so the buffers' own byte order does not matter. The engines use OpenCV instead, which measured
 * faster; this stays as the benchmark's comparison.
 */
final class PackedBytes {
    private static final VarHandle LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long LOW_BITS_CLEARED = 0xFEFE_FEFE_FEFE_FEFEL;
    private static final long EVEN_BYTES = 0x00FF_00FF_00FF_00FFL;
    private static final long LANE_BIT_8 = 0x0100_0100_0100_0100L;
    private static final long LANE_BIT_0 = 0x0001_0001_0001_0001L;

    private PackedBytes() {
    }

    /** (a + b + 1) >> 1 in each byte: a | b is a + b minus the shared bits, less half the differing bits. */
    static long averageRoundingUp(long a, long b) {
        return (a | b) - (((a ^ b) & LOW_BITS_CLEARED) >>> 1);
    }

    /** max(a, b) in each unsigned byte, computed on the even and the odd bytes in 16-bit lanes. */
    static long max(long a, long b) {
        return maxOfEvenBytes(a & EVEN_BYTES, b & EVEN_BYTES)
                | maxOfEvenBytes((a >>> 8) & EVEN_BYTES, (b >>> 8) & EVEN_BYTES) << 8;
    }

    /** Each 16-bit lane holds one byte; bit 8 of (a | 0x100) - b is set exactly where a >= b. */
    private static long maxOfEvenBytes(long a, long b) {
        long aAtLeastB = (((a | LANE_BIT_8) - b) >>> 8) & LANE_BIT_0;
        long mask = aAtLeastB * 0xFF;
        return (a & mask) | (b & ~mask);
    }

    /** Writes the rounded-up average of {@code a} and {@code b} into {@code out} (same size, any strides). */
    static void average(Plane a, Plane b, Plane out) {
        ByteBuffer pa = a.data();
        ByteBuffer pb = b.data();
        ByteBuffer po = out.data();
        int width = out.width();
        int wordsEnd = width & ~7;
        for (int y = 0; y < out.height(); y++) {
            int ra = y * a.stride();
            int rb = y * b.stride();
            int ro = y * out.stride();
            for (int x = 0; x < wordsEnd; x += 8) {
                long v = averageRoundingUp((long) LONGS.get(pa, ra + x), (long) LONGS.get(pb, rb + x));
                LONGS.set(po, ro + x, v);
            }
            for (int x = wordsEnd; x < width; x++) {
                int s = (pa.get(ra + x) & 0xFF) + (pb.get(rb + x) & 0xFF);
                po.put(ro + x, (byte) ((s + 1) >> 1));
            }
        }
    }

    /** Writes the pixel-wise maximum of {@code a} and {@code b} into {@code out} (same size, any strides). */
    static void max(Plane a, Plane b, Plane out) {
        ByteBuffer pa = a.data();
        ByteBuffer pb = b.data();
        ByteBuffer po = out.data();
        int width = out.width();
        int wordsEnd = width & ~7;
        for (int y = 0; y < out.height(); y++) {
            int ra = y * a.stride();
            int rb = y * b.stride();
            int ro = y * out.stride();
            for (int x = 0; x < wordsEnd; x += 8) {
                LONGS.set(po, ro + x, max((long) LONGS.get(pa, ra + x), (long) LONGS.get(pb, rb + x)));
            }
            for (int x = wordsEnd; x < width; x++) {
                po.put(ro + x, (byte) Math.max(pa.get(ra + x) & 0xFF, pb.get(rb + x) & 0xFF));
            }
        }
    }
}
