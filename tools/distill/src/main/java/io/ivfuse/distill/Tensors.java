package io.ivfuse.distill;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Small conveniences over libtorch's Java API: tensors from and to Java arrays, scalars, convolutions. */
final class Tensors {
    private Tensors() {
    }

    /** A float tensor of {@code shape} holding a copy of {@code values}. */
    static Tensor of(float[] values, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        try (FloatPointer p = new FloatPointer(values)) {
            return torch.from_blob(p, shape).clone(); // from_blob does not own the memory
        }
    }

    /** A float tensor of {@code shape} holding {@code values}, read from a long array (labels). */
    static Tensor ofLongs(long[] values, long... shape) {
        try (LongPointer p = new LongPointer(values)) {
            return torch.from_blob(p, shape, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)).clone();
        }
    }

    /** The tensor's values in row-major order. */
    static float[] toArray(Tensor t) {
        Tensor c = t.detach().contiguous();
        float[] out = new float[(int) c.numel()];
        new FloatPointer(c.const_data_ptr()).capacity(out.length).get(out);
        java.lang.ref.Reference.reachabilityFence(c); // c owns the memory just read: not collectable before
        return out;
    }

    static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** 2-D convolution, stride 1, with the given zero padding, dilation and groups. */
    static Tensor conv(Tensor x, Tensor w, Tensor b, int pad, int dilation, int groups) {
        return torch.conv2d(x, w, b == null ? new TensorOptional() : new TensorOptional(b),
                new long[] {1, 1}, new long[] {pad, pad}, new long[] {dilation, dilation}, groups);
    }

    static Tensor leaky(Tensor x, double slope) {
        return torch.leaky_relu(x, scalar(slope));
    }

    static Tensor cat(long dim, Tensor... parts) {
        return torch.cat(new TensorVector(parts), dim);
    }

    /** A leaf parameter: a copy of {@code values} that records gradients. */
    static Tensor parameter(float[] values, long... shape) {
        Tensor t = of(values, shape);
        t.set_requires_grad(true);
        return t;
    }
}
