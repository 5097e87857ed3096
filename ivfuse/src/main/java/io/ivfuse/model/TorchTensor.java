package io.ivfuse.model;

import java.util.Arrays;

/**
 * A dense, contiguous tensor read from a checkpoint: float32 values, or int64 values (BatchNorm's
 * {@code num_batches_tracked}). Shapes are row-major (C order).
 */
public final class TorchTensor {
    /** Element types ivfuse reads from checkpoints. */
    public enum DType { FLOAT32, INT64 }

    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;

    private TorchTensor(DType dtype, int[] shape, float[] floats, long[] longs) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.longs = longs;
    }

    public static TorchTensor ofFloats(int[] shape, float[] values) {
        check(shape, values.length);
        return new TorchTensor(DType.FLOAT32, shape, values, null);
    }

    public static TorchTensor ofLongs(int[] shape, long[] values) {
        check(shape, values.length);
        return new TorchTensor(DType.INT64, shape, null, values);
    }

    private static void check(int[] shape, int length) {
        if (numel(shape) != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + length);
        }
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Gathers a strided view of a flat storage into contiguous order, as torch's
     * {@code storage.as_strided(size, stride, offset).contiguous()} would.
     *
     * @throws IllegalArgumentException when the view reaches outside the storage
     */
    static int[] contiguousIndices(int[] shape, long[] stride, long offset, long storageLength) {
        long count = numel(shape);
        long maxIndex = offset;
        for (int d = 0; d < shape.length; d++) {
            if (stride[d] < 0) {
                throw new IllegalArgumentException("negative stride " + stride[d]);
            }
            if (shape[d] == 0) {
                return new int[0];
            }
            maxIndex += (long) (shape[d] - 1) * stride[d];
        }
        if (offset < 0 || maxIndex >= storageLength) {
            throw new IllegalArgumentException("view (offset " + offset + ", size " + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ") reaches outside a storage of " + storageLength);
        }
        int[] indices = new int[(int) count];
        int[] pos = new int[shape.length];
        for (int i = 0; i < count; i++) {
            long index = offset;
            for (int d = 0; d < shape.length; d++) {
                index += pos[d] * stride[d];
            }
            indices[i] = (int) index;
            for (int d = shape.length - 1; d >= 0; d--) { // odometer increment, last dim fastest
                if (++pos[d] < shape[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return indices;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public long numel() {
        return numel(shape);
    }

    /** The float32 values in row-major order (not copied: do not modify). */
    public float[] floats() {
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("tensor is " + dtype + ", not FLOAT32");
        }
        return floats;
    }

    public long[] longs() {
        if (dtype != DType.INT64) {
            throw new IllegalStateException("tensor is " + dtype + ", not INT64");
        }
        return longs;
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
