package io.ivfuse.distill;

import ai.onnx.proto.OnnxMl;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.OnnxGraphBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code nano}, the real-time student: each source is split into a smooth base and the rest
 * (image minus base); the fused image is the brighter of the two bases plus, region by region, the
 * rest of the source that carries more there. A small CNN learns to correct that choice.
 *
 * <p>Why this form: fusion metrics (VIF, Qabf, SSIM) reward keeping each region's detail from one
 * source, unmixed; blends of uncorrelated textures lose to either source alone. Selecting whole
 * sources, though, leaves patches where their brightness differs, so selection acts on detail
 * only and the brightness comes from the smooth bases. Everything is computed at a quarter of the
 * resolution (4x4 average pooling) and upsampled bilinearly:
 *
 * <pre>
 * base_s = mean5x5(pool4(s))                             (a ~20-pixel smooth base of each source)
 * z = p (log act_v - log act_i) + q (mean_v - mean_i) + beta tanh(c0)      act = mean3x3 pool4(|detail|)
 * w = sigmoid(z),  gamma = gainLimit tanh(c1),  (c0, c1) = head(cnn(pool4(vis, ir), log pool4(|detail|)))
 * fused = max(base_v, base_i) + w (vis - base_v) + (1 - w) (ir - base_i)
 *       + gamma (maxabs(detail_v, detail_i) - (w detail_v + (1 - w) detail_i))
 * </pre>
 *
 * <p>p and q (learned; start values from the config) prefer the busier and the brighter region.
 * The CNN's correction is bounded by beta ({@code correctionLimit}) so that it refines the rule
 * rather than replacing it: an unbounded correction learns the training cameras and generalises
 * worse to others. detail is a learned 5x5 filter (started as delta minus Gaussian); gamma lets
 * the network add the stronger source's fine detail where the selection loses it.
 *
 * <p>Cost per full-resolution pixel: the detail filters 2 x 25 = 50 MACs, the quarter-resolution
 * CNN (4-&gt;C, C-&gt;C dilated, C-&gt;C, C-&gt;2, all 3x3) (36C + 18C^2 + 18C) / 16: 342 for C = 16;
 * 392 in all (0.128 GMAC for 640x512). Pooling, logs, the selection and the blend are not MACs.
 */
final class NanoStudent implements Student {
    static final int POOL = 4;
    /** Side, at quarter resolution, of the mean that makes the bases. */
    static final int BASE_WINDOW = 5;
    /** Keeps log(activity) finite on flat regions; 1e-3 is a quarter gray level. */
    static final double ACTIVITY_FLOOR = 1e-3;

    private final int channels;
    private final int filter;
    private final float gainLimit;
    private final float correctionLimit;
    private final Tensor detailFilters; // [2, 1, k, k], groups 2: detail_vis, detail_ir
    private final Tensor prior; // [2]: p (activity), q (brightness)
    private final QuarterResolutionCnn cnn;

    /** The test configuration: 5x5 detail filters, prior p = 24, q = 128, correction limit 2. */
    NanoStudent(int channels, float gainLimit, long seed) {
        this(channels, gainLimit, 2f, 5, 1.2, 24, 128, seed);
    }

    /**
     * {@code filter}: side of the detail filters (odd); {@code sigma}: their initial Gaussian;
     * {@code activityPrior}, {@code brightnessPrior}: the start values of p and q.
     */
    NanoStudent(int channels, float gainLimit, float correctionLimit, int filter, double sigma, double activityPrior,
            double brightnessPrior, long seed) {
        this.channels = channels;
        this.correctionLimit = correctionLimit;
        this.filter = filter;
        this.gainLimit = gainLimit;
        Random r = new Random(seed);
        float[] d = detailFilter(filter, sigma);
        float[] both = new float[2 * d.length];
        System.arraycopy(d, 0, both, 0, d.length);
        System.arraycopy(d, 0, both, d.length, d.length);
        detailFilters = Tensors.parameter(both, 2, 1, filter, filter);
        prior = Tensors.parameter(new float[] {(float) activityPrior, (float) brightnessPrior}, 2);
        cnn = new QuarterResolutionCnn(channels, 2, r); // the selection correction and the detail gain
    }

    /** Delta minus a normalised Gaussian: the detail (high-pass) filter the training starts from. */
    static float[] detailFilter(int size, double sigma) {
        double[] g = new double[size * size];
        double sum = 0;
        int c = size / 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                g[y * size + x] = Math.exp(-((x - c) * (x - c) + (y - c) * (y - c)) / (2 * sigma * sigma));
                sum += g[y * size + x];
            }
        }
        float[] out = new float[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((i == c * size + c ? 1 : 0) - g[i] / sum);
        }
        return out;
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
        List<Tensor> all = new java.util.ArrayList<>(List.of(detailFilters, prior));
        all.addAll(cnn.parameters());
        return all;
    }

    static Tensor pool(Tensor x, int k, int stride, int pad) {
        return torch.avg_pool2d(x, new long[] {k, k}, new long[] {stride, stride}, new long[] {pad, pad},
                false, false, new org.bytedeco.pytorch.LongOptional());
    }

    static Tensor logActivity(Tensor activity) {
        return activity.add(Tensors.scalar(ACTIVITY_FLOOR)).log();
    }

    /** The difference of channel 0 and channel 1: [B, 1, h, w]. */
    static Tensor visMinusIr(Tensor x) {
        return x.narrow(1, 0, 1).sub(x.narrow(1, 1, 1));
    }

    @Override
    public Output forward(Tensor vis, Tensor ir) {
        long h = vis.size(2);
        long w = vis.size(3);
        Tensor x = Tensors.cat(1, vis, ir);
        int p = filter / 2;
        Tensor details = Tensors.conv(torch.reflection_pad2d(x, p, p, p, p), detailFilters, null, 0, 1, 2);
        Tensor low = pool(x, POOL, POOL, 0);
        Tensor activity = pool(details.abs(), POOL, POOL, 0);
        QuarterResolutionCnn.Out<Tensor> cnnOut = cnn.forward(Tensors.cat(1, low, logActivity(activity)));
        Tensor h3 = cnnOut.features();
        Tensor c = cnnOut.head();
        Tensor z = visMinusIr(logActivity(pool(activity, 3, 1, 1))).mul(prior.narrow(0, 0, 1))
                .add(visMinusIr(pool(low, 3, 1, 1)).mul(prior.narrow(0, 1, 1)))
                .add(c.narrow(1, 0, 1).tanh().mul(Tensors.scalar(correctionLimit)));
        Tensor gamma = c.narrow(1, 1, 1).tanh().mul(Tensors.scalar(gainLimit));
        Tensor bases = pool(low, BASE_WINDOW, 1, BASE_WINDOW / 2);
        Tensor up = torch.upsample_bilinear2d(Tensors.cat(1, z.sigmoid(), gamma, bases), new long[] {h, w}, false);
        Tensor weight = up.narrow(1, 0, 1);
        Tensor baseV = up.narrow(1, 2, 1);
        Tensor baseI = up.narrow(1, 3, 1);
        Tensor dv = details.narrow(1, 0, 1);
        Tensor di = details.narrow(1, 1, 1);
        Tensor selected = largerMagnitude(dv, di);
        Tensor residualI = ir.sub(baseI);
        Tensor selection = weight.mul(vis.sub(baseV).sub(residualI)).add(residualI);
        Tensor blendDetail = weight.mul(dv.sub(di)).add(di);
        Tensor fused = torch.maximum(baseV, baseI).add(selection).add(up.narrow(1, 1, 1).mul(selected.sub(blendDetail)));
        return new Output(fused, h3);
    }

    @Override
    public OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("ivfuse_nano");
        String vi = g.input("vi", "N", 1, "H", "W");
        String ir = g.input("ir", "N", 1, "H", "W");
        String x = g.node("Concat", Map.of("axis", 1L), vi, ir);
        int p = filter / 2;
        String pads = g.initializer("detail.pads", new int[] {8}, new long[] {0, 0, p, p, 0, 0, p, p});
        String details = g.node("Conv", Map.of("kernel_shape", new long[] {filter, filter}, "group", 2L),
                g.node("Pad", Map.of("mode", "reflect"), x, pads),
                g.initializer("detail.w", new int[] {2, 1, filter, filter}, Tensors.toArray(detailFilters)));
        String low = pool(g, x);
        String activity = pool(g, g.node("Abs", Map.of(), details));
        String c = cnn.toOnnx(g, g.node("Concat", Map.of("axis", 1L), low, logActivity(g, activity))).head();
        float[] pq = Tensors.toArray(prior);
        String z = g.node("Add", Map.of(), g.node("Add", Map.of(),
                g.node("Mul", Map.of(), visMinusIr(g, logActivity(g, smooth(g, activity, 3))),
                        g.initializer("prior.activity", new int[] {1}, new float[] {pq[0]})),
                g.node("Mul", Map.of(), visMinusIr(g, smooth(g, low, 3)),
                        g.initializer("prior.brightness", new int[] {1}, new float[] {pq[1]}))),
                g.node("Mul", Map.of(), g.node("Tanh", Map.of(), slice(g, c, 0, 1)),
                        g.initializer("correction.limit", new int[] {1}, new float[] {correctionLimit})));
        String gamma = g.node("Mul", Map.of(), g.node("Tanh", Map.of(), slice(g, c, 1, 2)),
                g.initializer("gain.limit", new int[] {1}, new float[] {gainLimit}));
        String scales = g.initializer("up.scales", new int[] {4}, new float[] {1, 1, POOL, POOL});
        String bases = smooth(g, low, BASE_WINDOW);
        String up = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                g.node("Concat", Map.of("axis", 1L), g.node("Sigmoid", Map.of(), z), gamma, bases), "", scales);
        String weight = slice(g, up, 0, 1);
        String upBases = slice(g, up, 2, 4);
        Map<String, Object> overChannels = Map.of("axes", new long[] {1}, "keepdims", 1L);
        String selected = largerMagnitude(g, details);
        String residuals = g.node("Sub", Map.of(), x, upBases);
        String selection = g.node("Add", Map.of(), g.node("Mul", Map.of(), weight, visMinusIr(g, residuals)),
                slice(g, residuals, 1, 2));
        String blendDetail = g.node("Add", Map.of(), g.node("Mul", Map.of(), weight, visMinusIr(g, details)),
                slice(g, details, 1, 2));
        String fused = g.node("Add", Map.of(), g.node("Add", Map.of(), g.node("ReduceMax", overChannels, upBases), selection),
                g.node("Mul", Map.of(), slice(g, up, 1, 2), g.node("Sub", Map.of(), selected, blendDetail)));
        g.output(fused, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("vi", "ir", "fused", 0f, 1f, POOL,
                List.of(ModelConvention.Activation.CLAMP)).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "nano3-c" + channels);
        meta.put(ModelConvention.DESCRIPTION, "real-time student distilled from sage-s (ivfuse)");
        meta.putAll(extraMetadata);
        return g.build("ivfuse nano: the brighter smooth base plus the detail of the source selected region by region at 1/4 resolution", meta);
    }

    /** Per pixel, whichever of the two has the larger magnitude. */
    static Tensor largerMagnitude(Tensor a, Tensor b) {
        Tensor hi = torch.maximum(a, b);
        Tensor lo = torch.minimum(a, b);
        return torch.where(torch.ge(hi.add(lo), Tensors.scalar(0.0)), hi, lo);
    }

    /** {@link #largerMagnitude(Tensor, Tensor)} of the two channels of {@code pair}, [N, 1, H, W]. */
    static String largerMagnitude(OnnxGraphBuilder g, String pair) {
        Map<String, Object> overChannels = Map.of("axes", new long[] {1}, "keepdims", 1L);
        String hi = g.node("ReduceMax", overChannels, pair);
        String lo = g.node("ReduceMin", overChannels, pair);
        String zero = g.initializer("zero", new int[] {1}, new float[] {0f});
        // Of two values, the larger has the larger magnitude exactly when their sum is >= 0.
        return g.node("Where", Map.of(), g.node("GreaterOrEqual", Map.of(), g.node("Add", Map.of(), hi, lo), zero), hi, lo);
    }

    static String pool(OnnxGraphBuilder g, String x) {
        return g.node("AveragePool", Map.of("kernel_shape", new long[] {POOL, POOL}, "strides", new long[] {POOL, POOL}), x);
    }

    /** A window x window mean, stride 1, borders averaged over the pixels inside (count_include_pad 0). */
    static String smooth(OnnxGraphBuilder g, String x, int window) {
        int r = window / 2;
        return g.node("AveragePool", Map.of("kernel_shape", new long[] {window, window}, "pads", new long[] {r, r, r, r}), x);
    }

    static String logActivity(OnnxGraphBuilder g, String activity) {
        String floor = g.initializer("activity.floor", new int[] {1}, new float[] {(float) ACTIVITY_FLOOR});
        return g.node("Log", Map.of(), g.node("Add", Map.of(), activity, floor));
    }

    static String visMinusIr(OnnxGraphBuilder g, String x) {
        return g.node("Sub", Map.of(), slice(g, x, 0, 1), slice(g, x, 1, 2));
    }

    static String slice(OnnxGraphBuilder g, String x, int from, int to) {
        String id = "slice." + from + "." + to;
        return g.node("Slice", Map.of(), x, g.initializer(id + ".starts", new int[] {1}, new long[] {from}),
                g.initializer(id + ".ends", new int[] {1}, new long[] {to}),
                g.initializer(id + ".axes", new int[] {1}, new long[] {1}));
    }

    static String conv(OnnxGraphBuilder g, String name, String x, Tensor w, Tensor b, int pad, int dilation, int group) {
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

    static String leaky(OnnxGraphBuilder g, String x) {
        return g.node("LeakyRelu", Map.of("alpha", (float) QuarterResolutionCnn.SLOPE), x);
    }
}
