package io.ivfuse.model;

import ai.onnx.proto.OnnxMl;
import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The student network of SAGE (Wu et al., CVPR 2025), rebuilt from its state dict with every
 * BatchNorm folded into the convolution before it, and written as ONNX. See
 * {@code shared/models/sage/ARCH.md}: a small U-Net over (visible Y, IR) with three resolutions,
 * 3x3 conv + BN + LeakyReLU(0.01) blocks, bilinear upsampling (align_corners = false) and a
 * final 3x3 conv + Tanh.
 */
public final class SageStudent {
    /** Size multiple the two 2x2 poolings need. */
    public static final int SIZE_MULTIPLE = 4;
    private static final double BN_EPS = 1e-5;
    private static final float LEAKY_SLOPE = 0.01f;
    private static final String[] MODULES = {"module1", "module2", "module3", "module4", "module5"};

    /** A convolution with its BatchNorm (if any) folded in. */
    public record FoldedConv(String name, int out, int in, int kernel, float[] weight, float[] bias) {
    }

    private final int dim;
    private final Map<String, FoldedConv> convs;

    private SageStudent(int dim, Map<String, FoldedConv> convs) {
        this.dim = dim;
        this.convs = convs;
    }

    public int dim() {
        return dim;
    }

    /** Parameters after folding (weights and biases of the folded convolutions). */
    public long parameterCount() {
        return convs.values().stream().mapToLong(c -> c.weight().length + c.bias().length).sum();
    }

    /**
     * Rebuilds the network from a state dict, checking that every tensor is present with the
     * expected shape and that nothing else is there. {@code source} names the checkpoint in errors.
     */
    public static SageStudent fromStateDict(Map<String, TorchTensor> stateDict, String source) {
        TorchTensor first = stateDict.get("module1.0.weight");
        if (first == null || first.shape().length != 4) {
            throw new IvfuseException("unknown architecture in " + source + ": no 4-D tensor 'module1.0.weight' "
                    + "(expected the SAGE student; keys start with " + firstKeys(stateDict) + ")");
        }
        int dim = first.shape()[0];
        Set<String> used = new LinkedHashSet<>();
        Reader r = new Reader(stateDict, source, used);
        Map<String, FoldedConv> convs = new LinkedHashMap<>();
        for (int m = 0; m < MODULES.length; m++) {
            for (int b = 0; b < 3; b++) {
                int in = (m == 0 && b == 0) ? 2 : dim;
                String conv = MODULES[m] + "." + (3 * b);
                String bn = MODULES[m] + "." + (3 * b + 1);
                convs.put(conv, r.foldedConv(conv, bn, dim, in, 3));
            }
        }
        convs.put("adjust_channels4.0", r.foldedConv("adjust_channels4.0", "adjust_channels4.1", dim, 2 * dim, 1));
        convs.put("adjust_channels5.0", r.foldedConv("adjust_channels5.0", "adjust_channels5.1", dim, 2 * dim, 1));
        convs.put("final_decoder.0", r.foldedConv("final_decoder.0", null, 1, dim, 3));
        for (String key : stateDict.keySet()) {
            if (!used.contains(key)) {
                throw new IvfuseException("unknown architecture in " + source + ": unexpected tensor '" + key
                        + "' for the SAGE student");
            }
        }
        return new SageStudent(dim, convs);
    }

    private static String firstKeys(Map<String, TorchTensor> sd) {
        List<String> keys = new ArrayList<>(sd.keySet());
        return keys.subList(0, Math.min(3, keys.size())).toString();
    }

    /** Looks tensors up, checking shapes and recording what was used. */
    private record Reader(Map<String, TorchTensor> sd, String source, Set<String> used) {

        float[] floats(String key, int... shape) {
            TorchTensor t = sd.get(key);
            if (t == null) {
                throw new IvfuseException(source + ": tensor '" + key + "' is missing");
            }
            if (!t.hasShape(shape) || t.dtype() != TorchTensor.DType.FLOAT32) {
                throw new IvfuseException(source + ": tensor '" + key + "' is " + t + ", expected FLOAT32"
                        + Arrays.toString(shape));
            }
            used.add(key);
            return t.floats();
        }

        FoldedConv foldedConv(String conv, String bn, int out, int in, int k) {
            float[] w = floats(conv + ".weight", out, in, k, k);
            float[] b = floats(conv + ".bias", out);
            if (bn == null) {
                return new FoldedConv(conv, out, in, k, w.clone(), b.clone());
            }
            float[] gamma = floats(bn + ".weight", out);
            float[] beta = floats(bn + ".bias", out);
            float[] mean = floats(bn + ".running_mean", out);
            float[] var = floats(bn + ".running_var", out);
            if (sd.containsKey(bn + ".num_batches_tracked")) {
                used.add(bn + ".num_batches_tracked"); // training bookkeeping, unused in eval
            }
            float[] fw = new float[w.length];
            float[] fb = new float[out];
            int perOut = in * k * k;
            for (int o = 0; o < out; o++) {
                double scale = gamma[o] / Math.sqrt(var[o] + BN_EPS);
                for (int i = 0; i < perOut; i++) {
                    fw[o * perOut + i] = (float) (w[o * perOut + i] * scale);
                }
                fb[o] = (float) ((b[o] - mean[o]) * scale + beta[o]);
            }
            return new FoldedConv(conv, out, in, k, fw, fb);
        }
    }

    /**
     * The network as ONNX: inputs {@code vi} and {@code ir} [N, 1, H, W] in [0, 1] (H, W multiples of
     * 4), output {@code fused}; with {@code withFeatures}, also outputs {@code x1}..{@code x5} (the
     * features the authors distil from).
     */
    public OnnxMl.ModelProto toOnnx(boolean withFeatures, Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("sage_student");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        String x = g.node("Concat", Map.of("axis", 1L), vi, ir);
        String x1 = module(g, "module1", x);
        String x2 = module(g, "module2", maxPool(g, x1));
        String x3 = module(g, "module3", maxPool(g, x2));
        String a4 = block(g, "adjust_channels4.0", g.node("Concat", Map.of("axis", 1L), upsampleTo(g, x3, x2), x2));
        String x4 = module(g, "module4", a4);
        String a5 = block(g, "adjust_channels5.0", g.node("Concat", Map.of("axis", 1L), upsampleTo(g, x4, x1), x1));
        String x5 = module(g, "module5", a5);
        String y = g.node("Tanh", Map.of(), conv(g, "final_decoder.0", x5));
        g.output(y, "fused", "N", 1, "H", "W");
        if (withFeatures) {
            g.output(x1, "x1", "N", dim, "H", "W");
            g.output(x2, "x2", "N", dim, "H2", "W2");
            g.output(x3, "x3", "N", dim, "H4", "W4");
            g.output(x4, "x4", "N", dim, "H2", "W2");
            g.output(x5, "x5", "N", dim, "H", "W");
        }
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("vi", "ir", "fused", 0f, 1f,
                SIZE_MULTIPLE, List.of(ModelConvention.Activation.CLAMP)).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "sage-student");
        meta.put(ModelConvention.DESCRIPTION, "SAGE student (Wu et al., CVPR 2025), dim " + dim
                + ", BatchNorm folded" + (withFeatures ? ", features x1..x5 exposed" : ""));
        meta.put(ModelConvention.LICENSE, "MIT (RollingPlain/SAGE_IVIF)");
        meta.putAll(extraMetadata);
        return g.build("SAGE student network imported by ivfuse", meta);
    }

    private String module(OnnxGraphBuilder g, String name, String x) {
        for (int b = 0; b < 3; b++) {
            x = block(g, name + "." + (3 * b), x);
        }
        return x;
    }

    private String block(OnnxGraphBuilder g, String convName, String x) {
        return g.node("LeakyRelu", Map.of("alpha", LEAKY_SLOPE), conv(g, convName, x));
    }

    private String conv(OnnxGraphBuilder g, String name, String x) {
        FoldedConv c = convs.get(name);
        String w = g.initializer(name + ".weight", new int[] {c.out(), c.in(), c.kernel(), c.kernel()}, c.weight());
        String b = g.initializer(name + ".bias", new int[] {c.out()}, c.bias());
        int p = c.kernel() / 2;
        return g.node("Conv", Map.of("kernel_shape", new long[] {c.kernel(), c.kernel()},
                "pads", new long[] {p, p, p, p}, "strides", new long[] {1, 1}), x, w, b);
    }

    private static String maxPool(OnnxGraphBuilder g, String x) {
        return g.node("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), x);
    }

    /** Bilinear resize of {@code x} to the spatial size of {@code like} (same N and C), as PyTorch's align_corners=False. */
    private static String upsampleTo(OnnxGraphBuilder g, String x, String like) {
        String sizes = g.node("Shape", Map.of(), like);
        return g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                x, "", "", sizes);
    }
}
