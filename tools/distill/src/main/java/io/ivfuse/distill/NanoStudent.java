package io.ivfuse.distill;

import ai.onnx.proto.OnnxMl;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code nano}, the real-time student. A small CNN sees both sources at a quarter of the
 * resolution (4x4 average pooling) and predicts, per pixel, how to mix six full-resolution layers
 * made from a base/detail split of each source (learned 5x5 filters, initialised to a Gaussian and
 * delta minus Gaussian): the two bases and their pixelwise maximum, the two details and the detail
 * of larger magnitude (the selection rule of Laplacian-pyramid fusion). The coefficients are
 * upsampled bilinearly and applied at full resolution:
 *
 * <pre>
 * fused = (a_v base_v + a_i base_i + a_m max(base_v, base_i))           (a = softmax(c0, c1, c2))
 *       + (o + g tanh(c3)) detail_v + (o + g tanh(c4)) detail_i + (o + g tanh(c5)) maxabs(detail_v, detail_i)
 * (c0..c5) = head(cnn(pool4(vis, ir))),  o = 0.5,  g = gainLimit
 * </pre>
 *
 * <p>Cost per full-resolution pixel: the filter pairs 4 x 25 = 100 MACs, the quarter-resolution
 * CNN (2-&gt;C, C-&gt;C dilated, C-&gt;C, C-&gt;6, all 3x3) (18C + 18C^2 + 54C) / 16: 460 MACs in all for
 * C = 16 (0.151 GMAC for 640x512). The selections are comparisons, not MACs.
 */
final class NanoStudent implements Student {
    static final int POOL = 4;
    static final double SLOPE = 0.1;
    static final int HEAD = 6;

    private final int channels;
    private final int filter;
    private final float gainLimit;
    static final float GAIN_OFFSET = 0.5f;
    private final Tensor baseFilters; // [2, 1, 5, 5], groups 2: base_vis, base_ir
    private final Tensor detailFilters; // [2, 1, 5, 5], groups 2: detail_vis, detail_ir
    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor w3;
    private final Tensor b3;
    private final Tensor wHead;
    private final Tensor bHead;

    NanoStudent(int channels, float gainLimit, long seed) {
        this(channels, gainLimit, 5, 1.2, seed);
    }

    /** {@code filter}: side of the base/detail filters (odd); {@code sigma}: their initial Gaussian. */
    NanoStudent(int channels, float gainLimit, int filter, double sigma, long seed) {
        this.channels = channels;
        this.filter = filter;
        this.gainLimit = gainLimit;
        Random r = new Random(seed);
        float[] f = baseDetailFilters(filter, sigma);
        int n = filter * filter;
        float[] base = new float[2 * n];
        float[] detail = new float[2 * n];
        System.arraycopy(f, 0, base, 0, n);
        System.arraycopy(f, 2 * n, base, n, n);
        System.arraycopy(f, n, detail, 0, n);
        System.arraycopy(f, 3 * n, detail, n, n);
        baseFilters = Tensors.parameter(base, 2, 1, filter, filter);
        detailFilters = Tensors.parameter(detail, 2, 1, filter, filter);
        w1 = Tensors.parameter(he(r, channels * 2 * 9, 2 * 9), channels, 2, 3, 3);
        b1 = Tensors.parameter(new float[channels], channels);
        w2 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b2 = Tensors.parameter(new float[channels], channels);
        w3 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b3 = Tensors.parameter(new float[channels], channels);
        float[] head = he(r, HEAD * channels * 9, channels * 9);
        for (int i = 0; i < head.length; i++) {
            head[i] *= 0.1f; // start near equal base weights and gains of 0.5
        }
        wHead = Tensors.parameter(head, HEAD, channels, 3, 3);
        bHead = Tensors.parameter(new float[HEAD], HEAD);
    }

    /** Gaussian base filter and delta-minus-Gaussian detail filter, for each of the two sources. */
    static float[] baseDetailFilters(int size, double sigma) {
        float[] g = new float[size * size];
        double sum = 0;
        int c = size / 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double v = Math.exp(-((x - c) * (x - c) + (y - c) * (y - c)) / (2 * sigma * sigma));
                g[y * size + x] = (float) v;
                sum += v;
            }
        }
        int n = size * size;
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float base = (float) (g[i] / sum);
            float detail = (i == c * size + c ? 1f : 0f) - base;
            out[i] = base;
            out[n + i] = detail;
            out[2 * n + i] = base;
            out[3 * n + i] = detail;
        }
        return out;
    }

    private static float[] he(Random r, int n, int fanIn) {
        float[] v = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    @Override
    public String name() {
        return "nano";
    }

    @Override
    public int featureChannels() {
        return channels;
    }

    @Override
    public int featureStride() {
        return POOL;
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(baseFilters, detailFilters, w1, b1, w2, b2, w3, b3, wHead, bHead);
    }

    @Override
    public Output forward(Tensor vis, Tensor ir) {
        long h = vis.size(2);
        long w = vis.size(3);
        Tensor x = Tensors.cat(1, vis, ir);
        Tensor low = torch.avg_pool2d(x, new long[] {POOL, POOL}, new long[] {POOL, POOL}, new long[] {0, 0},
                false, true, new org.bytedeco.pytorch.LongOptional());
        Tensor h1 = Tensors.leaky(Tensors.conv(low, w1, b1, 1, 1, 1), SLOPE);
        Tensor h2 = Tensors.leaky(Tensors.conv(h1, w2, b2, 2, 2, 1), SLOPE);
        Tensor h3 = Tensors.leaky(Tensors.conv(h2, w3, b3, 1, 1, 1), SLOPE);
        Tensor c = Tensors.conv(h3, wHead, bHead, 1, 1, 1);
        Tensor baseWeights = torch.softmax(c.narrow(1, 0, 3), 1);
        Tensor gains = c.narrow(1, 3, 3).tanh().mul(Tensors.scalar(gainLimit)).add(Tensors.scalar(GAIN_OFFSET));
        Tensor up = torch.upsample_bilinear2d(Tensors.cat(1, baseWeights, gains), new long[] {h, w}, false);
        int p = filter / 2;
        Tensor padded = torch.reflection_pad2d(x, p, p, p, p);
        Tensor bases = Tensors.conv(padded, baseFilters, null, 0, 1, 2);
        Tensor details = Tensors.conv(padded, detailFilters, null, 0, 1, 2);
        Tensor dv = details.narrow(1, 0, 1);
        Tensor di = details.narrow(1, 1, 1);
        Tensor hi = torch.maximum(dv, di);
        Tensor lo = torch.minimum(dv, di);
        Tensor selected = torch.where(torch.ge(hi.add(lo), Tensors.scalar(0.0)), hi, lo); // the larger magnitude
        Tensor brighter = torch.maximum(bases.narrow(1, 0, 1), bases.narrow(1, 1, 1));
        Tensor layers = Tensors.cat(1, bases, brighter, details, selected);
        Tensor fused = up.mul(layers).sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        return new Output(fused, h3);
    }

    @Override
    public OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("ivfuse_nano");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        String x = g.node("Concat", Map.of("axis", 1L), vi, ir);
        String low = g.node("AveragePool", Map.of("kernel_shape", new long[] {POOL, POOL},
                "strides", new long[] {POOL, POOL}), x);
        String h1 = leaky(g, conv(g, "conv1", low, w1, b1, 1, 1, 1));
        String h2 = leaky(g, conv(g, "conv2", h1, w2, b2, 2, 2, 1));
        String h3 = leaky(g, conv(g, "conv3", h2, w3, b3, 1, 1, 1));
        String c = conv(g, "head", h3, wHead, bHead, 1, 1, 1);
        String baseWeights = g.node("Softmax", Map.of("axis", 1L), slice(g, c, 0, 3));
        String gainScale = g.initializer("gain.scale", new int[] {1}, new float[] {gainLimit});
        String gainOffset = g.initializer("gain.offset", new int[] {1}, new float[] {GAIN_OFFSET});
        String gains = g.node("Add", Map.of(), g.node("Mul", Map.of(), g.node("Tanh", Map.of(), slice(g, c, 3, 6)),
                gainScale), gainOffset);
        String coefficients = g.node("Concat", Map.of("axis", 1L), baseWeights, gains);
        String scales = g.initializer("up.scales", new int[] {4}, new float[] {1, 1, POOL, POOL});
        String up = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                coefficients, "", scales);
        int p = filter / 2;
        String pads = g.initializer("split.pads", new int[] {8}, new long[] {0, 0, p, p, 0, 0, p, p});
        String padded = g.node("Pad", Map.of("mode", "reflect"), x, pads);
        Map<String, Object> grouped = Map.of("kernel_shape", new long[] {filter, filter}, "group", 2L);
        String bases = g.node("Conv", grouped, padded,
                g.initializer("split.base.w", new int[] {2, 1, filter, filter}, Tensors.toArray(baseFilters)));
        String details = g.node("Conv", grouped, padded,
                g.initializer("split.detail.w", new int[] {2, 1, filter, filter}, Tensors.toArray(detailFilters)));
        Map<String, Object> overChannels = Map.of("axes", new long[] {1}, "keepdims", 1L);
        String brighter = g.node("ReduceMax", overChannels, bases);
        String hi = g.node("ReduceMax", overChannels, details);
        String lo = g.node("ReduceMin", overChannels, details);
        String zero = g.initializer("zero", new int[] {1}, new float[] {0f});
        // Of two values, the larger has the larger magnitude exactly when their sum is >= 0.
        String selected = g.node("Where", Map.of(), g.node("GreaterOrEqual", Map.of(), g.node("Add", Map.of(), hi, lo), zero),
                hi, lo);
        String layers = g.node("Concat", Map.of("axis", 1L), bases, brighter, details, selected);
        String axes = g.initializer("sum.axes", new int[] {1}, new long[] {1});
        String fused = g.node("ReduceSum", Map.of("keepdims", 1L), g.node("Mul", Map.of(), up, layers), axes);
        g.output(fused, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("vi", "ir", "fused", 0f, 1f, POOL,
                List.of(ModelConvention.Activation.CLAMP)).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "nano-c" + channels);
        meta.put(ModelConvention.DESCRIPTION, "real-time student distilled from sage-s (ivfuse)");
        meta.putAll(extraMetadata);
        return g.build("ivfuse nano: base and detail layers of both sources mixed by coefficients predicted at 1/4 resolution", meta);
    }

    private static String slice(OnnxGraphBuilder g, String x, int from, int to) {
        String id = "slice." + from + "." + to;
        return g.node("Slice", Map.of(), x, g.initializer(id + ".starts", new int[] {1}, new long[] {from}),
                g.initializer(id + ".ends", new int[] {1}, new long[] {to}),
                g.initializer(id + ".axes", new int[] {1}, new long[] {1}));
    }

    private String conv(OnnxGraphBuilder g, String name, String x, Tensor w, Tensor b, int pad, int dilation, int group) {
        long[] s = Tensors.shape(w);
        String wi = g.initializer(name + ".w", new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]}, Tensors.toArray(w));
        String bi = g.initializer(name + ".b", new int[] {(int) s[0]}, Tensors.toArray(b));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("kernel_shape", new long[] {s[2], s[3]});
        attrs.put("pads", new long[] {pad, pad, pad, pad});
        attrs.put("dilations", new long[] {dilation, dilation});
        attrs.put("group", (long) group);
        return g.node("Conv", attrs, x, wi, bi);
    }

    private static String leaky(OnnxGraphBuilder g, String x) {
        return g.node("LeakyRelu", Map.of("alpha", (float) SLOPE), x);
    }

    /** Parameter count, as exported (the head grows from 3 to 4 rows in the graph). */
    long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.numel();
        }
        return n;
    }

    List<String> describe() {
        return new ArrayList<>(List.of("channels=" + channels, "gainLimit=" + gainLimit));
    }
}
