package io.ivfuse.quality.metric;

/**
 * VIF for image fusion (Han, Cai, Cao, Xu, "A new image fusion performance metric based on visual
 * information fidelity", Information Fusion 14(2), 2013), MEFB's "VIF". At each of four scales
 * (the pyramid of {@link VisualInformationFidelity}: Gaussian windows of 17, 9, 5, 3 samples,
 * 'valid' filtering, every second sample between scales) the fused image is modelled per window as
 * a distortion of each source (gain g, noise variance sv) and seen through visual noise of variance
 * 0.005 * 255^2. Per window the source with the smaller gain is kept (the other where the gains are
 * equal), and the scale's fidelity is the sum over windows of the kept source's information with
 * distortion over its information without, each window's term plus 1e-7. The result is the sum of
 * the scales' fidelities weighted (1, 0, 0.15, 1) / 2.15. The conventions not fixed by the paper
 * (which source wins ties, the 'valid' windows) are the ones that reproduce MEFB's values.
 */
final class FusionVisualInformationFidelity {
    private static final double VISUAL_NOISE = 0.005 * 255 * 255;
    private static final double PER_WINDOW = 1e-7;
    private static final double[] SCALE_WEIGHTS = {1 / 2.15, 0, 0.15 / 2.15, 1 / 2.15};

    private FusionVisualInformationFidelity() {
    }

    static double viff(GrayPlane a, GrayPlane b, GrayPlane f) {
        double total = 0;
        for (int s = 0; s < VisualInformationFidelity.SCALES; s++) {
            int n = VisualInformationFidelity.window(s).length;
            if (s > 0) {
                if (f.width - n + 1 < 1 || f.height - n + 1 < 1) {
                    break;
                }
                a = VisualInformationFidelity.nextScale(a, s);
                b = VisualInformationFidelity.nextScale(b, s);
                f = VisualInformationFidelity.nextScale(f, s);
            }
            if (f.width < n || f.height < n) {
                break;
            }
            if (SCALE_WEIGHTS[s] != 0) {
                total += SCALE_WEIGHTS[s] * fidelity(a, b, f, s);
            }
        }
        return total;
    }

    /** One scale's fidelity: information with distortion over information without, of the source kept per window. */
    private static double fidelity(GrayPlane a, GrayPlane b, GrayPlane f, int s) {
        double[] win = VisualInformationFidelity.window(s);
        Filters.WindowStats sa = VisualInformationFidelity.stats(a, s);
        Filters.WindowStats sb = VisualInformationFidelity.stats(b, s);
        Filters.WindowStats sf = VisualInformationFidelity.stats(f, s);
        double[] crossA = Filters.validOfProduct(a, f, win);
        double[] crossB = Filters.validOfProduct(b, f, win);
        double[] muA = sa.mean();
        double[] muB = sb.mean();
        double[] muF = sf.mean();
        VisualInformationFidelity.GainAndNoise ma = new VisualInformationFidelity.GainAndNoise();
        VisualInformationFidelity.GainAndNoise mb = new VisualInformationFidelity.GainAndNoise();
        VisualInformationFidelity.LogSum withDistortion = new VisualInformationFidelity.LogSum();
        VisualInformationFidelity.LogSum without = new VisualInformationFidelity.LogSum();
        for (int i = 0; i < muF.length; i++) {
            double varF = sf.meanOfSquares()[i] - muF[i] * muF[i];
            ma.fit(sa.meanOfSquares()[i] - muA[i] * muA[i], varF, crossA[i] - muA[i] * muF[i]);
            mb.fit(sb.meanOfSquares()[i] - muB[i] * muB[i], varF, crossB[i] - muB[i] * muF[i]);
            VisualInformationFidelity.GainAndNoise kept = ma.g < mb.g ? ma : mb;
            withDistortion.times(1 + kept.g * kept.g * kept.sigmaRef / (kept.sv + VISUAL_NOISE));
            without.times(1 + kept.sigmaRef / VISUAL_NOISE);
        }
        double windows = muF.length * PER_WINDOW;
        return (withDistortion.log10() + windows) / (without.log10() + windows);
    }
}
