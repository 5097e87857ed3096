package io.ivfuse.fusion.video;

import java.util.Arrays;

/**
 * Temporal smoothing of the weight map of two exposures, for any engine: at low resolution the
 * fused frame is read as a per-pixel blend F = w U + (1 - w) O of the under (U) and over (O)
 * exposure, which gives the weight the engine used, w = (F - O) / (U - O), where the exposures
 * differ enough for it to be defined. Its smoothed value s is what the output should have used,
 * and the correction (s - w)(U - O), upsampled and added, turns the frame into s U + (1 - s) O at
 * low resolution; detail above it is the engine's. s follows an exponential moving average,
 * s += (1 - a)(w - s), with each step limited: a convex blend whose weights stay put changes no
 * more than its sources, so the weight may move the blend by only {@link #LAG} of what the sources
 * moved at that pixel in this frame, or drift by {@link #DRIFT}. Noise that flips an engine's
 * weights then barely moves the output, an exposure step moves it mostly in the step's own frame,
 * and a change of the scene itself still shows at once (U and O are this frame's).
 *
 * <p>The average restarts where the motion mask is set (a moving object must not drag the old
 * weights along) and everywhere on a scene cut ({@link SceneCut}). Buffers are made once.
 */
final class WeightSmoothing {
    /** |U - O| in gray levels below which the weight is undefined (and the blend is barely affected). */
    static final int MIN_SPREAD = 12;
    /**
     * The weight's step per frame moves the blend by at most this share of what its sources moved
     * at that pixel (a still blend of moving sources adds no flicker; a moving weight on still
     * sources is all flicker) ...
     */
    static final float LAG = 0.5f;
    /** ... or by this much weight a frame, so that it still settles on a still scene (in about a second). */
    static final float DRIFT = 0.01f;

    private final int n;
    private final float keep;
    /** The smoothed weight of the under exposure; NaN where it was never defined. */
    private final float[] smoothed;
    private final float[] correction;
    private final byte[] previousUnder;
    private final byte[] previousOver;
    private boolean started;

    WeightSmoothing(int pixels, double keep) {
        this.n = pixels;
        this.keep = (float) keep;
        smoothed = new float[pixels];
        correction = new float[pixels];
        previousUnder = new byte[pixels];
        previousOver = new byte[pixels];
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
        boolean restart = cut || !started;
        for (int i = 0; i < n; i++) {
            int u = under[i] & 0xFF;
            int o = over[i] & 0xFF;
            int change = Math.max(Math.abs(u - (previousUnder[i] & 0xFF)), Math.abs(o - (previousOver[i] & 0xFF)));
            int spread = u - o;
            if (Math.abs(spread) < MIN_SPREAD) {
                correction[i] = 0; // the weight is undefined: keep what the average knows
                continue;
            }
            float w = Math.min(1f, Math.max(0f, (float) ((fused[i] & 0xFF) - o) / spread));
            float s = smoothed[i];
            if (restart || motion[i] > 0 || Float.isNaN(s)) {
                s = w;
            } else {
                // the average's step, no larger than lets the blend move with its sources (or drift)
                float limit = Math.max(DRIFT, LAG * change / Math.abs(spread));
                s += Math.max(-limit, Math.min(limit, (1 - keep) * (w - s)));
            }
            smoothed[i] = s;
            correction[i] = (s - w) * spread;
        }
        System.arraycopy(under, 0, previousUnder, 0, n);
        System.arraycopy(over, 0, previousOver, 0, n);
        started = true;
        return correction;
    }

    /** Forgets the history (a new clip). */
    void reset() {
        Arrays.fill(smoothed, Float.NaN);
        started = false;
    }
}
