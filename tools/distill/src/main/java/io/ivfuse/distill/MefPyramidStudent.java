package io.ivfuse.distill;

import static io.ivfuse.distill.NanoStudent.largerMagnitude;
import static io.ivfuse.distill.NanoStudent.logActivity;
import static io.ivfuse.distill.NanoStudent.pool;
import static io.ivfuse.distill.NanoStudent.slice;
import static io.ivfuse.distill.NanoStudent.smooth;
import static io.ivfuse.distill.NanoStudent.visMinusIr;

import ai.onnx.proto.OnnxMl;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code mef-pyramid}, the real-time multi-exposure student that blends over a deep Laplacian
 * pyramid (Burt-Adelson, as Mertens' exposure fusion does) with weights predicted at a quarter of
 * the resolution:
 *
 * <pre>
 * G_0 = (u, o),  G_k+1 = down(G_k),  L_k = G_k - up(G_k+1),  L_levels = G_levels
 *       (down: 5-tap binomial, edge padding so any size works, stride 2; up: bilinear to the finer size)
 * z   = p (log act_u - log act_o) + q ((s_u - 1/2)^2 - (s_o - 1/2)^2) + limit tanh(cnn(pool4(u, o), log act))   (quarter resolution)
 * W_2 = sigmoid(z),  W_k+1 = down(W_k)                                   (levels 2 and coarser: the weights' Gaussian pyramid)
 * W_k = sigmoid(up(z) + a_k (log|L_k,u| - log|L_k,o|))                   (levels 0 and 1: sharpened by the pixel's own contrast)
 * F_k = W_k L_k,u + (1 - W_k) L_k,o [+ gamma_k (maxabs(L_k,u, L_k,o) - that blend) for k < 3],  fused = collapse(F)
 * </pre>
 *
 * <p>Why this form: MEF-SSIM compares structure at several scales, and a two-level blend (mef-nano)
 * leaves halos and flattened transitions at the scales between its two levels; a pyramid with
 * per-level weights has none. The start (p = 1, q = -12.5: Mertens' contrast times well-exposedness
 * with sigma 0.2; a CNN head near zero, gamma 0) is Mertens' rule, so training starts near Mertens.
 * Each exposure goes through the same filters, so two identical exposures fuse to themselves.
 * Cost per full-resolution pixel: no full-resolution convolution; the pyramid is about 2 x 25 x 4/3
 * / 4 MACs for the binomial filters and a few dozen element-wise operations; the CNN as mef-nano's.
 */
final class MefPyramidStudent implements Student {
    static final int POOL = NanoStudent.POOL;
    static final double EXPOSURE_PRIOR = MefStudent.EXPOSURE_PRIOR;
    static final double CONTRAST_PRIOR = MefStudent.CONTRAST_PRIOR;
    /**
     * The levels at which the weight is brought up from the quarter resolution and sharpened per
     * pixel: levels 0 and 1, finer than the quarter resolution (level log2(POOL) = 2) where z lives.
     */
    static final int SHARPENED_LEVELS = 2;
    /**
     * The finest levels, which get the detail gain gamma_k; coarser ones are plain blends. Training
     * crops (96 pixels) do not show the coarser scales whole, and gains learned there made halos.
     */
    static final int DETAIL_LEVELS = 3;
    private static final float[] BINOMIAL = {1 / 16f, 4 / 16f, 6 / 16f, 4 / 16f, 1 / 16f};

    private final int channels;
    private final int levels;
    private final float gainLimit;
    private final float correctionLimit;
    private final Tensor prior; // [2]: p (contrast), q (exposure)
    private final Tensor sharpen; // [SHARPENED_LEVELS]: a_k
    private final Tensor gains; // [DETAIL_LEVELS]: gamma_k before tanh
    private final QuarterResolutionCnn cnn;
    private final Tensor binomial; // [1, 1, 5, 5]

    MefPyramidStudent(int channels, int levels, float gainLimit, float correctionLimit, double sharpenPrior, long seed) {
        if (levels < DETAIL_LEVELS) {
            throw new IllegalArgumentException("levels must be at least " + DETAIL_LEVELS + ", got " + levels);
        }
        this.channels = channels;
        this.levels = levels;
        this.gainLimit = gainLimit;
        this.correctionLimit = correctionLimit;
        prior = Tensors.parameter(new float[] {(float) CONTRAST_PRIOR, (float) EXPOSURE_PRIOR}, 2);
        float[] a = new float[SHARPENED_LEVELS];
        java.util.Arrays.fill(a, (float) sharpenPrior);
        sharpen = Tensors.parameter(a, SHARPENED_LEVELS);
        gains = Tensors.parameter(new float[DETAIL_LEVELS], DETAIL_LEVELS);
        cnn = new QuarterResolutionCnn(channels, 1, new Random(seed));
        binomial = Tensors.of(binomialKernel(), 1, 1, 5, 5);
    }

    static float[] binomialKernel() {
        float[] k = new float[25];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                k[5 * y + x] = BINOMIAL[y] * BINOMIAL[x];
            }
        }
        return k;
    }

    @Override
    public String name() {
        return "mef-pyramid";
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
        List<Tensor> all = new ArrayList<>(List.of(prior, sharpen, gains));
        all.addAll(cnn.parameters());
        return all;
    }

    // ---- libtorch ----

    /**
     * Each channel filtered alone, as a batch of one-channel images: a grouped strided convolution
     * gave non-finite gradients at random here (libtorch 2.10 CPU), 17 steps in the first 100.
     */
    private Tensor down(Tensor x) {
        long b = x.size(0);
        long c = x.size(1);
        Tensor single = x.reshape(b * c, 1, x.size(2), x.size(3));
        Tensor y = torch.conv2d(torch.replication_pad2d(single, 2, 2, 2, 2), binomial, new TensorOptional(),
                new long[] {2, 2}, new long[] {0, 0}, new long[] {1, 1}, 1);
        return y.reshape(b, c, y.size(2), y.size(3));
    }

    private static Tensor up(Tensor x, Tensor like) {
        return torch.upsample_bilinear2d(x, new long[] {like.size(2), like.size(3)}, false);
    }

    private static Tensor blend(Tensor weight, Tensor pair) {
        return weight.mul(visMinusIr(pair)).add(pair.narrow(1, 1, 1));
    }

    /** under, over: [B, 1, H, W] in [0, 1], H and W multiples of 4. */
    @Override
    public Output forward(Tensor under, Tensor over) {
        List<Tensor> gauss = new ArrayList<>(List.of(Tensors.cat(1, under, over)));
        for (int k = 0; k < levels; k++) {
            gauss.add(down(gauss.get(k)));
        }
        List<Tensor> lap = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            lap.add(gauss.get(k).sub(up(gauss.get(k + 1), gauss.get(k))));
        }
        lap.add(gauss.get(levels));
        Tensor low = pool(gauss.get(0), POOL, POOL, 0);
        Tensor activity = pool(lap.get(0).abs(), POOL, POOL, 0);
        QuarterResolutionCnn.Out<Tensor> cnnOut = cnn.forward(Tensors.cat(1, low, logActivity(activity)));
        Tensor z = visMinusIr(logActivity(pool(activity, 3, 1, 1))).mul(prior.narrow(0, 0, 1))
                .add(visMinusIr(MefStudent.offMidGrey(pool(low, 3, 1, 1))).mul(prior.narrow(0, 1, 1)))
                .add(cnnOut.head().tanh().mul(Tensors.scalar(correctionLimit)));
        List<Tensor> weights = new ArrayList<>();
        for (int k = 0; k < SHARPENED_LEVELS; k++) {
            Tensor contrast = visMinusIr(logActivity(lap.get(k).abs()));
            weights.add(up(z, lap.get(k)).add(contrast.mul(sharpen.narrow(0, k, 1))).sigmoid());
        }
        weights.add(z.sigmoid());
        for (int k = SHARPENED_LEVELS; k < levels; k++) {
            weights.add(down(weights.get(k)));
        }
        Tensor gamma = gains.tanh().mul(Tensors.scalar(gainLimit));
        Tensor fused = blend(weights.get(levels), lap.get(levels));
        for (int k = levels - 1; k >= 0; k--) {
            Tensor pair = lap.get(k);
            Tensor level = blend(weights.get(k), pair);
            if (k < DETAIL_LEVELS) {
                level = level.add(largerMagnitude(pair.narrow(1, 0, 1), pair.narrow(1, 1, 1)).sub(level).mul(gamma.narrow(0, k, 1)));
            }
            fused = level.add(up(fused, level));
        }
        return new Output(fused, cnnOut.features());
    }

    // ---- ONNX: the same function ----

    private static String down(OnnxGraphBuilder g, String x, int channelCount) {
        String pads = g.initializer("down.pads", new int[] {8}, new long[] {0, 0, 2, 2, 0, 0, 2, 2});
        float[] k = binomialKernel();
        float[] kk = channelCount == 1 ? k : java.util.Arrays.copyOf(k, 50);
        if (channelCount == 2) {
            System.arraycopy(k, 0, kk, 25, 25);
        }
        String w = g.initializer("down.w" + channelCount, new int[] {channelCount, 1, 5, 5}, kk);
        return g.node("Conv", Map.of("kernel_shape", new long[] {5, 5}, "strides", new long[] {2, 2}, "group", (long) channelCount),
                g.node("Pad", Map.of("mode", "edge"), x, pads), w);
    }

    /** x resized (bilinear, half-pixel) to like's height and width, keeping x's batch and channels. */
    private static String up(OnnxGraphBuilder g, String x, String like) {
        String sizes = g.node("Concat", Map.of("axis", 0L), g.node("Shape", Map.of("end", 2L), x),
                g.node("Shape", Map.of("start", 2L), like));
        return g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"), x, "", "", sizes);
    }

    private static String blend(OnnxGraphBuilder g, String weight, String pair) {
        return g.node("Add", Map.of(), g.node("Mul", Map.of(), weight, visMinusIr(g, pair)), slice(g, pair, 1, 2));
    }

    private static String scalar(OnnxGraphBuilder g, String name, float v) {
        return g.initializer(name, new int[] {1}, new float[] {v});
    }

    @Override
    public OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("ivfuse_mef_pyramid");
        String under = g.input("under", "N", 1, "H", "W");
        String over = g.input("over", "N", 1, "H", "W");
        List<String> gauss = new ArrayList<>(List.of(g.node("Concat", Map.of("axis", 1L), under, over)));
        for (int k = 0; k < levels; k++) {
            gauss.add(down(g, gauss.get(k), 2));
        }
        List<String> lap = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            lap.add(g.node("Sub", Map.of(), gauss.get(k), up(g, gauss.get(k + 1), gauss.get(k))));
        }
        lap.add(gauss.get(levels));
        String low = pool(g, gauss.get(0));
        String activity = pool(g, g.node("Abs", Map.of(), lap.get(0)));
        String c = cnn.toOnnx(g, g.node("Concat", Map.of("axis", 1L), low, logActivity(g, activity))).head();
        float[] pq = Tensors.toArray(prior);
        String centred = g.node("Sub", Map.of(), smooth(g, low, 3), scalar(g, "mid.grey", 0.5f));
        String z = g.node("Add", Map.of(), g.node("Add", Map.of(),
                g.node("Mul", Map.of(), visMinusIr(g, logActivity(g, smooth(g, activity, 3))), scalar(g, "prior.contrast", pq[0])),
                g.node("Mul", Map.of(), visMinusIr(g, g.node("Mul", Map.of(), centred, centred)), scalar(g, "prior.exposure", pq[1]))),
                g.node("Mul", Map.of(), g.node("Tanh", Map.of(), c), scalar(g, "correction.limit", correctionLimit)));
        float[] a = Tensors.toArray(sharpen);
        List<String> weights = new ArrayList<>();
        for (int k = 0; k < SHARPENED_LEVELS; k++) {
            String contrast = visMinusIr(g, logActivity(g, g.node("Abs", Map.of(), lap.get(k))));
            weights.add(g.node("Sigmoid", Map.of(), g.node("Add", Map.of(), up(g, z, lap.get(k)),
                    g.node("Mul", Map.of(), contrast, scalar(g, "sharpen." + k, a[k])))));
        }
        weights.add(g.node("Sigmoid", Map.of(), z));
        for (int k = SHARPENED_LEVELS; k < levels; k++) {
            weights.add(down(g, weights.get(k), 1));
        }
        float[] gamma = Tensors.toArray(gains.tanh().mul(Tensors.scalar(gainLimit)));
        String fused = blend(g, weights.get(levels), lap.get(levels));
        for (int k = levels - 1; k >= 0; k--) {
            String level = blend(g, weights.get(k), lap.get(k));
            if (k < DETAIL_LEVELS) {
                level = g.node("Add", Map.of(), level, g.node("Mul", Map.of(),
                        g.node("Sub", Map.of(), largerMagnitude(g, lap.get(k)), level), scalar(g, "gain." + k, gamma[k])));
            }
            fused = g.node("Add", Map.of(), level, up(g, fused, level));
        }
        g.output(fused, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("under", "over", "fused", 0f, 1f, POOL,
                List.of(ModelConvention.Activation.CLAMP), ModelConvention.MEF).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "mef-pyramid-c" + channels + "-l" + levels);
        meta.put(ModelConvention.DESCRIPTION, "real-time exposure fusion student over a Laplacian pyramid, self-supervised on synthetic brackets (ivfuse)");
        meta.putAll(extraMetadata);
        return g.build("ivfuse mef-pyramid: a " + (levels + 1) + "-level Laplacian-pyramid blend of the under- and over-exposure"
                + " with weights from Mertens' rule corrected by a quarter-resolution CNN", meta);
    }
}
