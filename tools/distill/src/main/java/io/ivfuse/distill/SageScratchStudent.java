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
 * The sage-s architecture (../shared/models/sage/ARCH.md), trained from scratch: five modules of
 * three 3x3 conv + LeakyReLU(0.01) blocks, two 2x2 max poolings, bilinear upsampling with skip
 * concatenations and 1x1 adjustments, a 3x3 decoder and Tanh. BatchNorm is left out: at inference
 * the authors' network folds it into the convolutions anyway, so the exported graph is the same.
 */
final class SageScratchStudent implements Student {
    private static final double SLOPE = 0.01;

    private final int dim;
    private final Map<String, Tensor[]> convs = new LinkedHashMap<>();

    SageScratchStudent(int dim, long seed) {
        this.dim = dim;
        Random r = new Random(seed);
        for (int m = 1; m <= 5; m++) {
            for (int b = 0; b < 3; b++) {
                add(r, "module" + m + "." + (3 * b), dim, m == 1 && b == 0 ? 2 : dim, 3);
            }
        }
        add(r, "adjust_channels4.0", dim, 2 * dim, 1);
        add(r, "adjust_channels5.0", dim, 2 * dim, 1);
        add(r, "final_decoder.0", 1, dim, 3);
    }

    private void add(Random r, String name, int out, int in, int k) {
        float[] w = new float[out * in * k * k];
        double std = Math.sqrt(2.0 / (in * k * k));
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * std);
        }
        convs.put(name, new Tensor[] {Tensors.parameter(w, out, in, k, k), Tensors.parameter(new float[out], out)});
    }

    @Override
    public String name() {
        return "sage";
    }

    @Override
    public int featureChannels() {
        return dim;
    }

    @Override
    public int featureStride() {
        return 4;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>();
        convs.values().forEach(c -> p.addAll(List.of(c)));
        return p;
    }

    private Tensor block(String name, Tensor x) {
        Tensor[] c = convs.get(name);
        return Tensors.leaky(Tensors.conv(x, c[0], c[1], (int) c[0].size(2) / 2, 1, 1), SLOPE);
    }

    private Tensor module(int m, Tensor x) {
        for (int b = 0; b < 3; b++) {
            x = block("module" + m + "." + (3 * b), x);
        }
        return x;
    }

    private static Tensor pool(Tensor x) {
        return torch.max_pool2d(x, 2, 2);
    }

    private static Tensor upTo(Tensor x, Tensor like) {
        return torch.upsample_bilinear2d(x, new long[] {like.size(2), like.size(3)}, false);
    }

    @Override
    public Output forward(Tensor vis, Tensor ir) {
        Tensor x1 = module(1, Tensors.cat(1, vis, ir));
        Tensor x2 = module(2, pool(x1));
        Tensor x3 = module(3, pool(x2));
        Tensor x4 = module(4, block("adjust_channels4.0", Tensors.cat(1, upTo(x3, x2), x2)));
        Tensor x5 = module(5, block("adjust_channels5.0", Tensors.cat(1, upTo(x4, x1), x1)));
        Tensor[] d = convs.get("final_decoder.0");
        return new Output(Tensors.conv(x5, d[0], d[1], 1, 1, 1).tanh(), x3);
    }

    @Override
    public OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("sage_student_scratch");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        String x1 = module(g, 1, g.node("Concat", Map.of("axis", 1L), vi, ir));
        String x2 = module(g, 2, pool(g, x1));
        String x3 = module(g, 3, pool(g, x2));
        String x4 = module(g, 4, block(g, "adjust_channels4.0", g.node("Concat", Map.of("axis", 1L), upTo(g, x3, x2), x2)));
        String x5 = module(g, 5, block(g, "adjust_channels5.0", g.node("Concat", Map.of("axis", 1L), upTo(g, x4, x1), x1)));
        String y = g.node("Tanh", Map.of(), conv(g, "final_decoder.0", x5));
        g.output(y, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("vi", "ir", "fused", 0f, 1f, 4,
                List.of(ModelConvention.Activation.CLAMP)).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "sage-student");
        meta.put(ModelConvention.DESCRIPTION, "sage-s architecture trained by ivfuse-distill, dim " + dim);
        meta.putAll(extraMetadata);
        return g.build("sage-s architecture trained by ivfuse", meta);
    }

    private String module(OnnxGraphBuilder g, int m, String x) {
        for (int b = 0; b < 3; b++) {
            x = block(g, "module" + m + "." + (3 * b), x);
        }
        return x;
    }

    private String block(OnnxGraphBuilder g, String name, String x) {
        return g.node("LeakyRelu", Map.of("alpha", (float) SLOPE), conv(g, name, x));
    }

    private String conv(OnnxGraphBuilder g, String name, String x) {
        Tensor[] c = convs.get(name);
        long[] s = Tensors.shape(c[0]);
        String w = g.initializer(name + ".weight", new int[] {(int) s[0], (int) s[1], (int) s[2], (int) s[3]}, Tensors.toArray(c[0]));
        String b = g.initializer(name + ".bias", new int[] {(int) s[0]}, Tensors.toArray(c[1]));
        long p = s[2] / 2;
        return g.node("Conv", Map.of("kernel_shape", new long[] {s[2], s[3]}, "pads", new long[] {p, p, p, p}), x, w, b);
    }

    private static String pool(OnnxGraphBuilder g, String x) {
        return g.node("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), x);
    }

    private static String upTo(OnnxGraphBuilder g, String x, String like) {
        return g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                x, "", "", g.node("Shape", Map.of(), like));
    }
}
