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
 * resolution (4x4 average pooling) and predicts, per pixel, a blend weight for the two base
 * layers and a gain for each source's detail layer; those four coefficients are upsampled
 * bilinearly and applied at full resolution to a base/detail split made by a 5x5 filter pair per
 * source (initialised to a Gaussian and delta minus Gaussian, then learned):
 *
 * <pre>
 * fused = w * base_vis + (1 - w) * base_ir + (1 + gv) * detail_vis + (1 + gi) * detail_ir
 * w = sigmoid(c0), gv = g * tanh(c1), gi = g * tanh(c2), (c0, c1, c2) = head(cnn(pool4(vis, ir)))
 * </pre>
 *
 * <p>Cost per full-resolution pixel: the filter pair 4 x 25 = 100 MACs, the quarter-resolution
 * CNN (2-&gt;C, C-&gt;C dilated, C-&gt;C, then the exported C-&gt;4 head, all 3x3)
 * (18C + 18C^2 + 36C) / 16: 442 MACs in all for C = 16 (0.145 GMAC for 640x512).
 */
final class NanoStudent implements Student {
    static final int POOL = 4;
    static final int FILTER = 5;
    static final double SLOPE = 0.1;

    private final int channels;
    private final float gainLimit;
    private final Tensor filters; // [4, 1, 5, 5], groups 2: base_vis, detail_vis, base_ir, detail_ir
    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor w3;
    private final Tensor b3;
    private final Tensor wHead;
    private final Tensor bHead;

    NanoStudent(int channels, float gainLimit, long seed) {
        this.channels = channels;
        this.gainLimit = gainLimit;
        Random r = new Random(seed);
        filters = Tensors.parameter(baseDetailFilters(1.2), 4, 1, FILTER, FILTER);
        w1 = Tensors.parameter(he(r, channels * 2 * 9, 2 * 9), channels, 2, 3, 3);
        b1 = Tensors.parameter(new float[channels], channels);
        w2 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b2 = Tensors.parameter(new float[channels], channels);
        w3 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b3 = Tensors.parameter(new float[channels], channels);
        float[] head = he(r, 3 * channels * 9, channels * 9);
        for (int i = 0; i < head.length; i++) {
            head[i] *= 0.1f; // start near w = 0.5 and unit gains: the plain base/detail fusion
        }
        wHead = Tensors.parameter(head, 3, channels, 3, 3);
        bHead = Tensors.parameter(new float[3], 3);
    }

    /** Gaussian base filter and delta-minus-Gaussian detail filter, for each of the two sources. */
    static float[] baseDetailFilters(double sigma) {
        float[] g = new float[FILTER * FILTER];
        double sum = 0;
        int c = FILTER / 2;
        for (int y = 0; y < FILTER; y++) {
            for (int x = 0; x < FILTER; x++) {
                double v = Math.exp(-((x - c) * (x - c) + (y - c) * (y - c)) / (2 * sigma * sigma));
                g[y * FILTER + x] = (float) v;
                sum += v;
            }
        }
        int n = FILTER * FILTER;
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float base = (float) (g[i] / sum);
            float detail = (i == c * FILTER + c ? 1f : 0f) - base;
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
        return List.of(filters, w1, b1, w2, b2, w3, b3, wHead, bHead);
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
        Tensor weight = c.narrow(1, 0, 1).sigmoid();
        Tensor gainVis = c.narrow(1, 1, 1).tanh().mul(Tensors.scalar(gainLimit)).add(Tensors.scalar(1.0));
        Tensor gainIr = c.narrow(1, 2, 1).tanh().mul(Tensors.scalar(gainLimit)).add(Tensors.scalar(1.0));
        Tensor oneMinus = torch.ones_like(weight).sub(weight);
        Tensor coefficients = Tensors.cat(1, weight, gainVis, oneMinus, gainIr);
        Tensor up = torch.upsample_bilinear2d(coefficients, new long[] {h, w}, false);
        int p = FILTER / 2;
        Tensor layers = Tensors.conv(torch.reflection_pad2d(x, p, p, p, p), filters, null, 0, 1, 2);
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
        // One Conv + Tanh + affine gives all four coefficients: sigmoid(c) = 0.5 + 0.5 tanh(c / 2),
        // and 1 - sigmoid(c) = 0.5 + 0.5 tanh(-c / 2).
        float[] hw = Tensors.toArray(wHead);
        float[] hb = Tensors.toArray(bHead);
        int k = channels * 9;
        float[] w4 = new float[4 * k];
        float[] b4 = new float[4];
        float[][] rowScale = {{0.5f, 0}, {1f, 1}, {-0.5f, 0}, {1f, 2}}; // scale, source row
        for (int o = 0; o < 4; o++) {
            float s = rowScale[o][0];
            int src = (int) rowScale[o][1];
            for (int i = 0; i < k; i++) {
                w4[o * k + i] = s * hw[src * k + i];
            }
            b4[o] = s * hb[src];
        }
        String wh = g.initializer("head.w", new int[] {4, channels, 3, 3}, w4);
        String bh = g.initializer("head.b", new int[] {4}, b4);
        String c = g.node("Tanh", Map.of(), g.node("Conv", Map.of("kernel_shape", new long[] {3, 3},
                "pads", new long[] {1, 1, 1, 1}), h3, wh, bh));
        String scale = g.initializer("coef.scale", new int[] {1, 4, 1, 1}, new float[] {0.5f, gainLimit, 0.5f, gainLimit});
        String offset = g.initializer("coef.offset", new int[] {1, 4, 1, 1}, new float[] {0.5f, 1f, 0.5f, 1f});
        String coefficients = g.node("Add", Map.of(), g.node("Mul", Map.of(), c, scale), offset);
        String scales = g.initializer("up.scales", new int[] {4}, new float[] {1, 1, POOL, POOL});
        String up = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                coefficients, "", scales);
        int p = FILTER / 2;
        String pads = g.initializer("split.pads", new int[] {8}, new long[] {0, 0, p, p, 0, 0, p, p});
        String padded = g.node("Pad", Map.of("mode", "reflect"), x, pads);
        String fw = g.initializer("split.w", new int[] {4, 1, FILTER, FILTER}, Tensors.toArray(filters));
        String layers = g.node("Conv", Map.of("kernel_shape", new long[] {FILTER, FILTER}, "group", 2L), padded, fw);
        String axes = g.initializer("sum.axes", new int[] {1}, new long[] {1});
        String fused = g.node("ReduceSum", Map.of("keepdims", 1L), g.node("Mul", Map.of(), up, layers), axes);
        g.output(fused, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("vi", "ir", "fused", 0f, 1f, POOL,
                List.of(ModelConvention.Activation.CLAMP)).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "nano-c" + channels);
        meta.put(ModelConvention.DESCRIPTION, "real-time student distilled from sage-s (ivfuse)");
        meta.putAll(extraMetadata);
        return g.build("ivfuse nano: per-pixel base blend and detail gains predicted at 1/4 resolution", meta);
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
