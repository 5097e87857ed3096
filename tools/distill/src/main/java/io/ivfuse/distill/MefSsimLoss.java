package io.ivfuse.distill;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * MEF-SSIM (Ma, Zeng and Wang, TIP 2015) of a fused image against two exposures, differentiable in
 * the fused image, written from the paper: in each Gaussian window (11x11, sigma 1.5) the desired
 * patch has the largest signal strength of the exposures, c = max_k c_k (c_k the patch's standard
 * deviation), and the structure s = sum_k w_k s_k / |sum_k w_k s_k| with w_k = c_k^4 and s_k the
 * exposure's mean-removed patch over c_k; the score is SSIM's structure-and-contrast term between
 * that patch and the fused one, (2 cov + C2) / (c^2 + var + C2), C2 = (0.03)^2. Luminance is not
 * compared (as in the paper). Averaged over the windows, and over {@value #SCALES} dyadic scales (MEFB uses three; a third one made training steps non-finite at random here).
 *
 * <p>All window statistics come from moments: cov(s, y) and |s|^2 expand into the exposures'
 * variances and covariances with each other and with the fused image.
 */
final class MefSsimLoss {
    static final int SCALES = 2;
    private static final int WINDOW = 11;
    /** The smallest image side the loss takes: one window at the coarsest scale. */
    static final int MIN_SIDE = WINDOW << (SCALES - 1);
    private static final double SIGMA = 1.5;
    private static final double C2 = 0.03 * 0.03;
    /** Keeps square roots and quotients finite on flat windows (1e-3 of a grey level squared). */
    private static final double EPS = 1e-8;
    private static final int MOMENTS = 9;

    private final Tensor gaussian = gaussianWeights();

    private static Tensor gaussianWeights() {
        float[] one = new float[WINDOW * WINDOW];
        double sum = 0;
        int c = WINDOW / 2;
        for (int y = 0; y < WINDOW; y++) {
            for (int x = 0; x < WINDOW; x++) {
                one[y * WINDOW + x] = (float) Math.exp(-((x - c) * (x - c) + (y - c) * (y - c)) / (2 * SIGMA * SIGMA));
                sum += one[y * WINDOW + x];
            }
        }
        float[] all = new float[MOMENTS * one.length];
        for (int m = 0; m < MOMENTS; m++) {
            for (int i = 0; i < one.length; i++) {
                all[m * one.length + i] = (float) (one[i] / sum);
            }
        }
        return Tensors.of(all, MOMENTS, 1, WINDOW, WINDOW);
    }

    /** 1 - MEF-SSIM of {@code fused} against {@code under} and {@code over}, all [B, 1, H, W] in [0, 1]. */
    Tensor loss(Tensor fused, Tensor under, Tensor over) {
        Tensor total = null;
        Tensor f = fused;
        Tensor u = under;
        Tensor o = over;
        for (int s = 0; s < SCALES; s++) {
            if (s > 0) {
                f = NanoStudent.pool(f, 2, 2, 0);
                u = NanoStudent.pool(u, 2, 2, 0);
                o = NanoStudent.pool(o, 2, 2, 0);
            }
            Tensor score = score(f, u, o).mean();
            total = total == null ? score : total.add(score);
        }
        return total.div(Tensors.scalar(SCALES)).neg().add(Tensors.scalar(1.0));
    }

    /** The per-window score map at one scale. */
    Tensor score(Tensor y, Tensor u, Tensor o) {
        Tensor m = Tensors.conv(Tensors.cat(1, u, o, y, u.mul(u), o.mul(o), y.mul(y), u.mul(o), u.mul(y), o.mul(y)),
                gaussian, null, 0, 1, MOMENTS);
        Tensor mu = m.narrow(1, 0, 1);
        Tensor mo = m.narrow(1, 1, 1);
        Tensor my = m.narrow(1, 2, 1);
        Tensor varU = torch.relu(m.narrow(1, 3, 1).sub(mu.mul(mu)));
        Tensor varO = torch.relu(m.narrow(1, 4, 1).sub(mo.mul(mo)));
        Tensor varY = torch.relu(m.narrow(1, 5, 1).sub(my.mul(my)));
        Tensor covUO = m.narrow(1, 6, 1).sub(mu.mul(mo));
        Tensor covUY = m.narrow(1, 7, 1).sub(mu.mul(my));
        Tensor covOY = m.narrow(1, 8, 1).sub(mo.mul(my));
        Tensor cU = varU.add(Tensors.scalar(EPS)).sqrt();
        Tensor cO = varO.add(Tensors.scalar(EPS)).sqrt();
        Tensor desired = torch.maximum(cU, cO);
        Tensor wU = varU.mul(varU).add(Tensors.scalar(EPS * EPS)); // c^4
        Tensor wO = varO.mul(varO).add(Tensors.scalar(EPS * EPS));
        Tensor sum = wU.add(wO);
        Tensor aU = wU.div(sum);
        Tensor aO = wO.div(sum);
        // |sum a_k s_k|^2 = a_u^2 + a_o^2 + 2 a_u a_o cov(u, o) / (c_u c_o); cov(that, y) = sum a_k cov(k, y) / c_k
        // the correlation clamped to [-1, 1]: on near-flat windows the moments' rounding can leave it outside
        Tensor correlation = torch.clamp(covUO.div(cU.mul(cO)), new org.bytedeco.pytorch.ScalarOptional(Tensors.scalar(-1.0)),
                new org.bytedeco.pytorch.ScalarOptional(Tensors.scalar(1.0)));
        Tensor norm = aU.mul(aU).add(aO.mul(aO)).add(aU.mul(aO).mul(correlation).mul(Tensors.scalar(2)))
                .add(Tensors.scalar(EPS)).sqrt();
        Tensor cov = aU.mul(covUY).div(cU).add(aO.mul(covOY).div(cO)).div(norm).mul(desired);
        return cov.mul(Tensors.scalar(2)).add(Tensors.scalar(C2))
                .div(desired.mul(desired).add(varY).add(Tensors.scalar(C2)));
    }
}
