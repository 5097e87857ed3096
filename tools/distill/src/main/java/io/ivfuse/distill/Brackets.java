package io.ivfuse.distill;

import java.util.Random;

/**
 * Synthetic exposure brackets from one 8-bit picture's luminance (values in [0, 1]): the picture
 * is linearised by a display gamma, scaled by a number of stops below and above a random centre
 * exposure, re-encoded with the gamma, given sensor noise (shot noise growing with the signal,
 * read noise), clipped and quantised to 8 bits, as a camera's under- and over-exposure would be.
 * Each crop draws its own stops, centre, gamma and noise, so the student sees brackets of every
 * spread, including ones where one exposure is all but black or white.
 */
final class Brackets {
    private final DistillConfig.Bracket cfg;
    private final Random random;

    Brackets(DistillConfig.Bracket cfg, long seed) {
        this.cfg = cfg;
        this.random = new Random(seed);
    }

    /**
     * Writes the under- and over-exposure of {@code picture} (n values from {@code from}) into
     * {@code under}, {@code over} at {@code to}; {@code picture} may be one of them (each value is
     * read before it is overwritten).
     */
    void make(float[] picture, int from, float[] under, float[] over, int to, int n) {
        double gamma = uniform(cfg.gammaMin, cfg.gammaMax);
        double centre = uniform(-cfg.centreStops, cfg.centreStops);
        double gainUnder = Math.pow(2, centre - uniform(cfg.stopsMin, cfg.stopsMax));
        double gainOver = Math.pow(2, centre + uniform(cfg.stopsMin, cfg.stopsMax));
        double noise = uniform(0, cfg.noiseMax);
        for (int i = 0; i < n; i++) {
            double linear = Math.pow(picture[from + i], gamma);
            under[to + i] = expose(linear * gainUnder, gamma, noise);
            over[to + i] = expose(linear * gainOver, gamma, noise);
        }
    }

    private float expose(double linear, double gamma, double noise) {
        double v = Math.pow(Math.min(1.0, linear), 1 / gamma);
        v += noise * Math.sqrt(v + 0.05) * random.nextGaussian();
        return Math.round(Math.max(0, Math.min(1, v)) * 255) / 255f;
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
