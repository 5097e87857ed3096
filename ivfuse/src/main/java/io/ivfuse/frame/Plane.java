package io.ivfuse.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One 8-bit image plane (a luminance plane, a gray IR frame, a chroma plane) in a direct buffer,
 * row-major with {@code stride} bytes between rows. Direct memory lets native code (FFmpeg,
 * OpenCV, ONNX Runtime) read and write it without copies. Planes are allocated once, when the
 * pipeline starts, and reused for every frame.
 */
public final class Plane {
    private final int width;
    private final int height;
    private final int stride;
    private final ByteBuffer data;

    private Plane(ByteBuffer data, int width, int height, int stride) {
        if (width <= 0 || height <= 0 || stride < width) {
            throw new IllegalArgumentException("bad plane geometry " + width + "x" + height + " stride " + stride);
        }
        if (data.capacity() < (long) stride * (height - 1) + width) {
            throw new IllegalArgumentException("buffer of " + data.capacity() + " bytes is too small for "
                    + width + "x" + height + " stride " + stride);
        }
        this.data = data;
        this.width = width;
        this.height = height;
        this.stride = stride;
    }

    /** A new zero-filled plane with stride == width. */
    public static Plane allocate(int width, int height) {
        return new Plane(ByteBuffer.allocateDirect(width * height).order(ByteOrder.nativeOrder()), width, height, width);
    }

    /** A view of an existing buffer (not copied); the buffer must be direct. */
    public static Plane wrap(ByteBuffer data, int width, int height, int stride) {
        if (!data.isDirect()) {
            throw new IllegalArgumentException("plane buffers must be direct");
        }
        return new Plane(data, width, height, stride);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int stride() {
        return stride;
    }

    /** The backing buffer; absolute get/put only, its position is never relied on. */
    public ByteBuffer data() {
        return data;
    }

    /** Unsigned value at (x, y). */
    public int get(int x, int y) {
        return data.get(y * stride + x) & 0xFF;
    }

    public void set(int x, int y, int value) {
        data.put(y * stride + x, (byte) value);
    }

    public boolean sameSize(Plane other) {
        return width == other.width && height == other.height;
    }

    /** Copies pixels from {@code src} (same size, any stride) into this plane. */
    public void copyFrom(Plane src) {
        if (!sameSize(src)) {
            throw new IllegalArgumentException("plane size " + src.width + "x" + src.height
                    + " does not match " + width + "x" + height);
        }
        if (stride == width && src.stride == width) {
            data.put(0, src.data, 0, width * height);
            return;
        }
        for (int y = 0; y < height; y++) {
            data.put(y * stride, src.data, y * src.stride, width);
        }
    }

    /** Copies the rows into a new heap array, stride removed (for tests and image files). */
    public byte[] toArray() {
        byte[] out = new byte[width * height];
        for (int y = 0; y < height; y++) {
            data.get(y * stride, out, y * width, width);
        }
        return out;
    }

    /** Sets every pixel to {@code value}. */
    public void fill(byte value) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                data.put(y * stride + x, value);
            }
        }
    }

    /** Fills this plane from a packed array of width*height bytes. */
    public void fill(byte[] packed) {
        if (packed.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " bytes, got " + packed.length);
        }
        for (int y = 0; y < height; y++) {
            data.put(y * stride, packed, y * width, width);
        }
    }

    @Override
    public String toString() {
        return "Plane[" + width + "x" + height + ", stride " + stride + "]";
    }
}
