package io.ivfuse.distill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * SAGE's triplet of distillation losses, each weighted by the config (0 = off):
 * pixel level (MSE to the teacher, to each source and to their pixelwise maximum; Sobel gradient
 * to the larger source gradient and to the teacher's; Qabf against the sources), feature level (cosine distance to the teacher's x3 through a learned 1x1 adapter),
 * and contrastive semantic level (per superpixel, d(student, teacher) / (d(student, vis) +
 * d(student, ir)) in a fixed feature space: intensity and the two Sobel derivatives).
 */
final class DistillLosses {
    private static final long MEAN = 1; // at::Reduction::Mean
    /** Side of the patches whose mean brightness the wellExposed term holds near mid-grey. */
    static final int WELL_EXPOSED_PATCH = 16;
    private static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    private static final float[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

    private final DistillConfig.Losses weights;
    private final Tensor sobel = Tensors.of(concat(SOBEL_X, SOBEL_Y), 2, 1, 3, 3);
    private final Tensor adapterWeight;
    private final Tensor adapterBias;
    private final MefSsimLoss mefSsim = new MefSsimLoss();

    DistillLosses(DistillConfig.Losses weights, int studentChannels, int teacherChannels, long seed) {
        this.weights = weights;
        Random r = new Random(seed);
        float[] w = new float[teacherChannels * studentChannels];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * Math.sqrt(1.0 / studentChannels));
        }
        adapterWeight = Tensors.parameter(w, teacherChannels, studentChannels, 1, 1);
        adapterBias = Tensors.parameter(new float[teacherChannels], teacherChannels);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The adapter's parameters (trained with the student, not exported). */
    List<Tensor> parameters() {
        return weights.feature > 0 ? List.of(adapterWeight, adapterBias) : List.of();
    }

    /** Sobel x and y derivatives, [B, 2, H, W], reflection padded. */
    Tensor derivatives(Tensor x) {
        return Tensors.conv(torch.reflection_pad2d(x, 1, 1, 1, 1), sobel, null, 0, 1, 1);
    }

    /** |d/dx| + |d/dy| from the derivatives, [B, 1, H, W]. */
    private static Tensor magnitude(Tensor derivatives) {
        return derivatives.abs().sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    /** The weighted terms (name -> weighted value) and their sum under "total". */
    Map<String, Tensor> compute(Student.Output out, CropSampler.Batch b) {
        Map<String, Tensor> terms = new LinkedHashMap<>();
        Tensor s = out.fused();
        if (weights.teacherMse > 0) {
            terms.put("teacherMse", torch.mse_loss(s, b.teacher(), MEAN).mul(Tensors.scalar(weights.teacherMse)));
        }
        if (weights.sourceMaxMse > 0) {
            terms.put("sourceMaxMse", torch.mse_loss(s, torch.maximum(b.visible(), b.infrared()), MEAN)
                    .mul(Tensors.scalar(weights.sourceMaxMse)));
        }
        if (weights.visibleMse > 0) {
            terms.put("visibleMse", torch.mse_loss(s, b.visible(), MEAN).mul(Tensors.scalar(weights.visibleMse)));
        }
        if (weights.infraredMse > 0) {
            terms.put("infraredMse", torch.mse_loss(s, b.infrared(), MEAN).mul(Tensors.scalar(weights.infraredMse)));
        }
        // Sobel derivatives of each image, computed once and shared by the gradient and contrastive terms.
        boolean gradients = weights.sourceGradient > 0 || weights.teacherGradient > 0 || weights.gradientFloor > 0;
        boolean contrastive = weights.contrastive > 0;
        Tensor ds = gradients || contrastive || weights.edgeTransfer > 0 ? derivatives(s) : null;
        boolean sources = weights.sourceGradient > 0 || weights.gradientFloor > 0 || contrastive || weights.edgeTransfer > 0;
        Tensor dv = sources ? derivatives(b.visible()) : null;
        Tensor di = sources ? derivatives(b.infrared()) : null;
        Tensor dt = weights.teacherGradient > 0 || contrastive ? derivatives(b.teacher()) : null;
        if (gradients) {
            Tensor gs = magnitude(ds);
            Tensor target = weights.sourceGradient > 0 || weights.gradientFloor > 0
                    ? torch.maximum(magnitude(dv), magnitude(di)) : null;
            if (weights.sourceGradient > 0) {
                terms.put("sourceGradient", gs.sub(target).abs().mean().mul(Tensors.scalar(weights.sourceGradient)));
            }
            if (weights.gradientFloor > 0) {
                terms.put("gradientFloor", torch.relu(target.sub(gs)).mean().mul(Tensors.scalar(weights.gradientFloor)));
            }
            if (weights.teacherGradient > 0) {
                terms.put("teacherGradient", gs.sub(magnitude(dt)).abs().mean()
                        .mul(Tensors.scalar(weights.teacherGradient)));
            }
        }
        if (weights.edgeTransfer > 0) {
            terms.put("edgeTransfer", edgeTransfer(ds, dv, di).neg().add(Tensors.scalar(1.0))
                    .mul(Tensors.scalar(weights.edgeTransfer)));
        }
        if (weights.mefSsim > 0) { // mode mef: visible is the under-exposure, infrared the over-exposure
            terms.put("mefSsim", mefSsim.loss(s, b.visible(), b.infrared()).mul(Tensors.scalar(weights.mefSsim)));
        }
        if (weights.wellExposed > 0) { // MEF-SSIM ignores brightness: this keeps the blend near mid-grey
            Tensor off = NanoStudent.pool(s, WELL_EXPOSED_PATCH, WELL_EXPOSED_PATCH, 0).sub(Tensors.scalar(0.5));
            terms.put("wellExposed", off.mul(off).mean().mul(Tensors.scalar(weights.wellExposed)));
        }
        if (weights.feature > 0) {
            Tensor adapted = Tensors.conv(out.features(), adapterWeight, adapterBias, 0, 1, 1);
            Tensor cos = torch.cosine_similarity(adapted, b.features(), 1, 1e-8);
            terms.put("feature", torch.ones_like(cos).sub(cos).mean().mul(Tensors.scalar(weights.feature)));
        }
        if (weights.contrastive > 0) {
            Tensor fs = Tensors.cat(1, s, ds);
            Tensor toTeacher = regionMeans(fs.sub(Tensors.cat(1, b.teacher(), dt)), b);
            Tensor toSources = regionMeans(fs.sub(Tensors.cat(1, b.visible(), dv)), b)
                    .add(regionMeans(fs.sub(Tensors.cat(1, b.infrared(), di)), b));
            Tensor ratio = toTeacher.div(toSources.add(Tensors.scalar(1e-4)));
            terms.put("contrastive", ratio.mean().mul(Tensors.scalar(weights.contrastive)));
        }
        Tensor total = null;
        for (Tensor t : terms.values()) {
            total = total == null ? t : total.add(t);
        }
        terms.put("total", total);
        return terms;
    }

    /**
     * Qabf (Xydeas and Petrovic, the constants of the reference code) of the batch, differentiable
     * in the fused image: how much of each source's Sobel edge strength and orientation the fused
     * image keeps, weighted by the source's strength.
     */
    static Tensor edgeTransfer(Tensor df, Tensor da, Tensor db) {
        Tensor gf = strength(df);
        Tensor af = orientation(df);
        Tensor ga = strength(da);
        Tensor gb = strength(db);
        Tensor kept = transfer(ga, orientation(da), gf, af).mul(ga).add(transfer(gb, orientation(db), gf, af).mul(gb));
        return kept.sum().div(ga.add(gb).sum());
    }

    private static Tensor strength(Tensor d) {
        return d.mul(d).sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional())
                .add(Tensors.scalar(1e-12)).sqrt();
    }

    /** atan(gy / gx) in (-pi/2, pi/2), with gx kept off 0 so that the gradient stays finite. */
    private static Tensor orientation(Tensor d) {
        Tensor gx = d.narrow(1, 0, 1);
        Tensor safe = torch.where(torch.ge(gx, Tensors.scalar(0.0)), gx.add(Tensors.scalar(1e-6)), gx.sub(Tensors.scalar(1e-6)));
        return d.narrow(1, 1, 1).div(safe).atan();
    }

    /** Qg Qa of one source against the fused image. */
    private static Tensor transfer(Tensor gs, Tensor as, Tensor gf, Tensor af) {
        Tensor relative = torch.minimum(gs, gf).div(torch.maximum(gs, gf));
        Tensor aligned = torch.ones_like(as).sub(as.sub(af).abs().div(Tensors.scalar(Math.PI / 2)));
        return relative.sub(Tensors.scalar(0.5)).mul(Tensors.scalar(15)).sigmoid().mul(Tensors.scalar(0.9994))
                .mul(aligned.sub(Tensors.scalar(0.8)).mul(Tensors.scalar(22)).sigmoid().mul(Tensors.scalar(0.9879)));
    }

    /** Mean over each superpixel of the L1 norm over channels of {@code diff}: [regionCount]. */
    private static Tensor regionMeans(Tensor diff, CropSampler.Batch b) {
        Tensor perPixel = diff.abs().sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).reshape(-1);
        Tensor sums = torch.zeros(b.regionCount()).index_add(0, b.regions(), perPixel);
        return sums.div(b.regionSizes());
    }

    static List<String> termNames() {
        return new ArrayList<>(List.of("teacherMse", "sourceMaxMse", "visibleMse", "infraredMse", "sourceGradient", "gradientFloor", "teacherGradient", "edgeTransfer", "mefSsim", "wellExposed",
                "feature", "contrastive"));
    }
}
