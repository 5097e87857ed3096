package io.ivfuse.distill;

import static io.ivfuse.distill.NanoStudent.conv;
import static io.ivfuse.distill.NanoStudent.largerMagnitude;
import static io.ivfuse.distill.NanoStudent.leaky;
import static io.ivfuse.distill.NanoStudent.logActivity;
import static io.ivfuse.distill.NanoStudent.pool;
import static io.ivfuse.distill.NanoStudent.slice;
import static io.ivfuse.distill.NanoStudent.smooth;
import static io.ivfuse.distill.NanoStudent.visMinusIr;

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
 * {@code mef-nano}, the real-time multi-exposure student: a two-level exposure blend of the under-
 * and the over-exposure's luminance, with weights from a rule a small CNN corrects, all at a
 * quarter of the resolution (the {@link NanoStudent} layout, with exposure fusion's rule):
 *
 * <pre>
 * z  = q ((s_u - 1/2)^2 - (s_o - 1/2)^2) + p (log act_u - log act_o) + beta tanh(c0)    s = mean3x3 pool4(x)
 * w  = sigmoid(z),  w_base = mean5x5(w),  gamma_k = gainLimit tanh(c_k),  (c0, c1, c2) = head(cnn(pool4(u, o), log act))
 * fused = w_base base_u + (1 - w_base) base_o                     (base = mean5x5 pool4: the coarse level)
 *       + w (u - base_u) + (1 - w) (o - base_o)                    (the fine level)
 *       + sum_k gamma_k (maxabs(d_uk, d_ok) - (w d_uk + (1 - w) d_ok))   (d_k: two learned 5x5 detail bands)
 * </pre>
 *
 * <p>Each band's filter is the same for both exposures, so the student treats them alike and two
 * identical exposures fuse to themselves (the two levels sum back, the detail terms vanish); two
 * bands (started as delta minus Gaussians of sigma and 2 sigma) train markedly better than one.
 * act is the first band's pooled magnitude.
 *
 * <p>Why this form: Mertens' rule (well-exposedness times contrast) is the prior, q &lt; 0 starting
 * at Mertens' sigma 0.2 and p at contrast exponent 1; blending the coarse level with a smoother
 * weight than the fine level is a two-level Laplacian pyramid, which keeps seams out of the
 * transitions. The weights are convex, so the fused brightness stays between the exposures'.
 * Cost per full-resolution pixel: the detail bands 2 x 2 x 25 = 100 MACs, the quarter-resolution CNN
 * (36C + 18C^2 + 27C) / 16: 347 for C = 16; about 450 in all.
 */
final class MefStudent implements Student {
    static final int POOL = NanoStudent.POOL;
    static final int BASE_WINDOW = NanoStudent.BASE_WINDOW;
    /** Mertens' well-exposedness: exp(-(v - 1/2)^2 / (2 sigma^2)), sigma 0.2: logit -1 / (2 * 0.04) per squared unit. */
    static final double EXPOSURE_PRIOR = -12.5;
    static final double CONTRAST_PRIOR = 1.0;

    private final int channels;
    private final int filter;
    private final float gainLimit;
    private final float correctionLimit;
    static final int BANDS = 2;
    private final Tensor detailFilters; // [BANDS, 1, k, k], each applied to both exposures
    private final Tensor prior; // [2]: p (contrast), q (exposure)
    private final QuarterResolutionCnn cnn;

    MefStudent(int channels, float gainLimit, float correctionLimit, int filter, double sigma, long seed) {
        this.channels = channels;
        this.gainLimit = gainLimit;
        this.correctionLimit = correctionLimit;
        this.filter = filter;
        Random r = new Random(seed);
        float[] fine = NanoStudent.detailFilter(filter, sigma);
        float[] coarse = NanoStudent.detailFilter(filter, 2 * sigma);
        float[] both = java.util.Arrays.copyOf(fine, 2 * fine.length);
        System.arraycopy(coarse, 0, both, fine.length, coarse.length);
        detailFilters = Tensors.parameter(both, BANDS, 1, filter, filter);
        prior = Tensors.parameter(new float[] {(float) CONTRAST_PRIOR, (float) EXPOSURE_PRIOR}, 2);
        cnn = new QuarterResolutionCnn(channels, 1 + BANDS, r); // the weight correction and a gain per band
    }

    @Override
    public String name() {
        return "mef-nano";
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

    /** (v - 1/2)^2 per channel. */
    static Tensor offMidGrey(Tensor v) {
        Tensor c = v.sub(Tensors.scalar(0.5));
        return c.mul(c);
    }

    /** under, over: [B, 1, H, W] in [0, 1]. */
    @Override
    public Output forward(Tensor under, Tensor over) {
        long h = under.size(2);
        long w = under.size(3);
        Tensor x = Tensors.cat(1, under, over);
        int p = filter / 2;
        Tensor dU = Tensors.conv(torch.reflection_pad2d(under, p, p, p, p), detailFilters, null, 0, 1, 1); // [B, BANDS, H, W]
        Tensor dO = Tensors.conv(torch.reflection_pad2d(over, p, p, p, p), detailFilters, null, 0, 1, 1);
        Tensor low = pool(x, POOL, POOL, 0);
        Tensor activity = pool(Tensors.cat(1, dU.narrow(1, 0, 1), dO.narrow(1, 0, 1)).abs(), POOL, POOL, 0);
        QuarterResolutionCnn.Out<Tensor> cnnOut = cnn.forward(Tensors.cat(1, low, logActivity(activity)));
        Tensor h3 = cnnOut.features();
        Tensor c = cnnOut.head();
        Tensor z = visMinusIr(logActivity(pool(activity, 3, 1, 1))).mul(prior.narrow(0, 0, 1))
                .add(visMinusIr(offMidGrey(pool(low, 3, 1, 1))).mul(prior.narrow(0, 1, 1)))
                .add(c.narrow(1, 0, 1).tanh().mul(Tensors.scalar(correctionLimit)));
        Tensor weight = z.sigmoid();
        Tensor baseWeight = pool(weight, BASE_WINDOW, 1, BASE_WINDOW / 2);
        Tensor gamma = c.narrow(1, 1, BANDS).tanh().mul(Tensors.scalar(gainLimit));
        Tensor bases = pool(low, BASE_WINDOW, 1, BASE_WINDOW / 2);
        Tensor up = torch.upsample_bilinear2d(Tensors.cat(1, weight, baseWeight, gamma, bases), new long[] {h, w}, false);
        Tensor wFine = up.narrow(1, 0, 1);
        Tensor wBase = up.narrow(1, 1, 1);
        Tensor upBases = up.narrow(1, 2 + BANDS, 2);
        Tensor residuals = x.sub(upBases);
        Tensor coarse = wBase.mul(visMinusIr(upBases)).add(upBases.narrow(1, 1, 1));
        Tensor fine = wFine.mul(visMinusIr(residuals)).add(residuals.narrow(1, 1, 1));
        Tensor fused = coarse.add(fine);
        for (int k = 0; k < BANDS; k++) {
            Tensor du = dU.narrow(1, k, 1);
            Tensor dOk = dO.narrow(1, k, 1);
            Tensor blendDetail = wFine.mul(du.sub(dOk)).add(dOk);
            fused = fused.add(up.narrow(1, 2 + k, 1).mul(largerMagnitude(du, dOk).sub(blendDetail)));
        }
        return new Output(fused, h3);
    }

    @Override
    public OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("ivfuse_mef_nano");
        String under = g.input("under", "N", 1, "H", "W");
        String over = g.input("over", "N", 1, "H", "W");
        String x = g.node("Concat", Map.of("axis", 1L), under, over);
        int p = filter / 2;
        String pads = g.initializer("detail.pads", new int[] {8}, new long[] {0, 0, p, p, 0, 0, p, p});
        String filters = g.initializer("detail.w", new int[] {BANDS, 1, filter, filter}, Tensors.toArray(detailFilters));
        Map<String, Object> conv = Map.of("kernel_shape", new long[] {filter, filter});
        String dU = g.node("Conv", conv, g.node("Pad", Map.of("mode", "reflect"), under, pads), filters);
        String dO = g.node("Conv", conv, g.node("Pad", Map.of("mode", "reflect"), over, pads), filters);
        String low = pool(g, x);
        String activity = pool(g, g.node("Abs", Map.of(), g.node("Concat", Map.of("axis", 1L), slice(g, dU, 0, 1), slice(g, dO, 0, 1))));
        String c = cnn.toOnnx(g, g.node("Concat", Map.of("axis", 1L), low, logActivity(g, activity))).head();
        float[] pq = Tensors.toArray(prior);
        String centred = g.node("Sub", Map.of(), smooth(g, low, 3), g.initializer("mid.grey", new int[] {1}, new float[] {0.5f}));
        String z = g.node("Add", Map.of(), g.node("Add", Map.of(),
                g.node("Mul", Map.of(), visMinusIr(g, logActivity(g, smooth(g, activity, 3))),
                        g.initializer("prior.contrast", new int[] {1}, new float[] {pq[0]})),
                g.node("Mul", Map.of(), visMinusIr(g, g.node("Mul", Map.of(), centred, centred)),
                        g.initializer("prior.exposure", new int[] {1}, new float[] {pq[1]}))),
                g.node("Mul", Map.of(), g.node("Tanh", Map.of(), slice(g, c, 0, 1)),
                        g.initializer("correction.limit", new int[] {1}, new float[] {correctionLimit})));
        String weight = g.node("Sigmoid", Map.of(), z);
        String gamma = g.node("Mul", Map.of(), g.node("Tanh", Map.of(), slice(g, c, 1, 1 + BANDS)),
                g.initializer("gain.limit", new int[] {1}, new float[] {gainLimit}));
        String scales = g.initializer("up.scales", new int[] {4}, new float[] {1, 1, POOL, POOL});
        String up = g.node("Resize", Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel"),
                g.node("Concat", Map.of("axis", 1L), weight, smooth(g, weight, BASE_WINDOW), gamma,
                        smooth(g, low, BASE_WINDOW)), "", scales);
        String wFine = slice(g, up, 0, 1);
        String upBases = slice(g, up, 2 + BANDS, 4 + BANDS);
        String residuals = g.node("Sub", Map.of(), x, upBases);
        String coarse = g.node("Add", Map.of(), g.node("Mul", Map.of(), slice(g, up, 1, 2), visMinusIr(g, upBases)),
                slice(g, upBases, 1, 2));
        String fine = g.node("Add", Map.of(), g.node("Mul", Map.of(), wFine, visMinusIr(g, residuals)),
                slice(g, residuals, 1, 2));
        String fused = g.node("Add", Map.of(), coarse, fine);
        for (int k = 0; k < BANDS; k++) {
            String pair = g.node("Concat", Map.of("axis", 1L), slice(g, dU, k, k + 1), slice(g, dO, k, k + 1));
            String blendDetail = g.node("Add", Map.of(), g.node("Mul", Map.of(), wFine, visMinusIr(g, pair)), slice(g, pair, 1, 2));
            fused = g.node("Add", Map.of(), fused, g.node("Mul", Map.of(), slice(g, up, 2 + k, 3 + k),
                    g.node("Sub", Map.of(), largerMagnitude(g, pair), blendDetail)));
        }
        g.output(fused, "fused", "N", 1, "H", "W");
        Map<String, String> meta = new LinkedHashMap<>(new ModelConvention("under", "over", "fused", 0f, 1f, POOL,
                List.of(ModelConvention.Activation.CLAMP), ModelConvention.MEF).toMetadata());
        meta.put(ModelConvention.ARCHITECTURE, "mef-nano-c" + channels);
        meta.put(ModelConvention.DESCRIPTION, "real-time exposure fusion student, self-supervised on synthetic brackets (ivfuse)");
        meta.putAll(extraMetadata);
        return g.build("ivfuse mef-nano: a two-level blend of the under- and over-exposure with weights from Mertens' rule"
                + " corrected by a quarter-resolution CNN", meta);
    }
}
