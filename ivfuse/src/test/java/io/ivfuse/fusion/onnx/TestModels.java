package io.ivfuse.fusion.onnx;

import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.OnnxGraphBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small ONNX networks built on the fly with ivfuse's writer, so engine tests need no shared data. */
public final class TestModels {
    private TestModels() {
    }

    private static Map<String, String> convention(int multiple) {
        return new ModelConvention("vi", "ir", "fused", 0f, 1f, multiple, List.of(ModelConvention.Activation.CLAMP))
                .toMetadata();
    }

    private static float[] random(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static String conv(OnnxGraphBuilder g, Random r, String name, String x, int out, int in, int k) {
        String w = g.initializer(name + ".w", new int[] {out, in, k, k}, random(r, out * in * k * k, 1f / (in * k)));
        String b = g.initializer(name + ".b", new int[] {out}, random(r, out, 0.1f));
        return g.node("Conv", Map.of("kernel_shape", new long[] {k, k}, "pads", new long[] {k / 2, k / 2, k / 2, k / 2}),
                x, w, b);
    }

    /**
     * A tiny random U-Net with the structure of SAGE (conv, LeakyReLU, 2x2 pooling, bilinear
     * upsampling to the skip's size, concat, tanh): size multiple 4.
     */
    public static void tinyUNet(Path file, long seed) {
        Random r = new Random(seed);
        OnnxGraphBuilder g = new OnnxGraphBuilder("tiny_unet");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        String x = g.node("Concat", Map.of("axis", 1L), vi, ir);
        String c1 = g.node("LeakyRelu", Map.of("alpha", 0.01f), conv(g, r, "c1", x, 4, 2, 3));
        String p1 = g.node("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), c1);
        String c2 = g.node("LeakyRelu", Map.of("alpha", 0.01f), conv(g, r, "c2", p1, 4, 4, 3));
        String p2 = g.node("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), c2);
        String up2 = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                p2, "", "", g.node("Shape", Map.of(), c2));
        String up = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                up2, "", "", g.node("Shape", Map.of(), c1));
        String cat = g.node("Concat", Map.of("axis", 1L), up, c1);
        String y = g.node("Tanh", Map.of(), conv(g, r, "out", cat, 1, 8, 1));
        g.output(y, "fused", "N", 1, "H", "W");
        OnnxGraphBuilder.write(g.build("tiny test network", convention(4)), file);
    }

    /**
     * Returns the visible input unchanged, but needs a size multiple of 8: the infrared input goes
     * through three 2x2 poolings and is added back times zero.
     */
    public static void identityMultipleOf8(Path file) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("identity8");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        Map<String, Object> pool = Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2});
        String p = g.node("MaxPool", pool, g.node("MaxPool", pool, g.node("MaxPool", pool, ir)));
        String up = g.node("Resize", Map.of("mode", "nearest"), p, "", "", g.node("Shape", Map.of(), vi));
        String zero = g.initializer("zero", new int[] {}, new float[] {0f});
        String y = g.node("Add", Map.of(), vi, g.node("Mul", Map.of(), up, zero));
        g.output(y, "fused", "N", 1, "H", "W");
        OnnxGraphBuilder.write(g.build("identity with size multiple 8", convention(8)), file);
    }

    /** A 3x3 box filter of the visible input (zero-padded by the convolution), size multiple {@code multiple}. */
    public static void boxBlur(Path file, int multiple) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("box3");
        String vi = g.input("vi", "N", 1, "H", "W");
        g.input("ir", "N", 1, "H", "W");
        float[] w = new float[9];
        java.util.Arrays.fill(w, 1f / 9f);
        String k = g.initializer("k", new int[] {1, 1, 3, 3}, w);
        String y = g.node("Conv", Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}), vi, k);
        g.output(y, "fused", "N", 1, "H", "W");
        OnnxGraphBuilder.write(g.build("box blur", convention(multiple)), file);
    }

    /** A valid network without ivfuse metadata. */
    public static void withoutConvention(Path file) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("plain");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        g.output(g.node("Max", Map.of(), vi, ir), "fused", "N", 1, "H", "W");
        OnnxGraphBuilder.write(g.build("no metadata", new HashMap<>()), file);
    }
}
