package io.ivfuse.fusion.video;

import java.util.Arrays;

/**
 * Temporal smoothing of the weight map of two exposures, for any engine: at low resolution the
 * fused frame is read as a per-pixel blend F = w U + (1 - w) O of the under (U) and over (O)
 * exposure, which gives the weight the engine used, w = (F - O) / (U - O), where the exposures
 * differ enough for it to be defined. Its exponential moving average s = a s + (1 - a) w is what
 * the output should have used, and the correction (s - w)(U - O), upsampled and added, turns the
 * frame into s U + (1 - s) O at low resolution; detail above it is the engine's. So an exposure
 * step, or noise that flips an engine's weights, moves the blend over several frames instead of
 * one, while a change of the scene itself still shows at once (U and O are this frame's).
 *
 * <p>The average restarts where the motion mask is set (a moving object must not drag the old
 * weights along) and everywhere on a scene cut ({@link SceneCut}). Buffers are made once.
 */
final class WeightSmoothing {
    /** |U - O| in gray levels below which the weight is undefined (and the blend is barely affected). */
    static final int MIN_SPREAD = 12;

    private final int n;
    private final float keep;
    /** The smoothed weight of the under exposure; NaN where it was never defined. */
    private final float[] smoothed;
    private final float[] correction;

    WeightSmoothing(int pixels, double keep) {
        this.n = pixels;
        this.keep = (float) keep;
        smoothed = new float[pixels];
        correction = new float[pixels];
        Arrays.fill(smoothed, Float.NaN);
    }

    /**
     * Updates the average with this frame's low-resolution luma and returns the correction to add
     * to the fused luma, in gray levels, row-major at low resolution.
     *
     * @param motion the soft motion mask (0 where still)
     * @param cut    the scene changed: forget the history
     */
    float[] update(byte[] under, byte[] over, byte[] fused, float[] motion, boolean cut) {
        for (int i = 0; i < n; i++) {
            int u = under[i] & 0xFF;
            int o = over[i] & 0xFF;
            int spread = u - o;
            if (Math.abs(spread) < MIN_SPREAD) {
                correction[i] = 0; // the weight is undefined: keep what the average knows
                continue;
            }
            float w = Math.min(1f, Math.max(0f, (float) ((fused[i] & 0xFF) - o) / spread));
            float s = smoothed[i];
            s = cut || motion[i] > 0 || Float.isNaN(s) ? w : keep * s + (1 - keep) * w;
            smoothed[i] = s;
            correction[i] = (s - w) * spread;
        }
        return correction;
    }

    /** Forgets the history (a new clip). */
    void reset() {
        Arrays.fill(smoothed, Float.NaN);
    }
}
