package io.ivfuse.quality.metric;

import io.ivfuse.frame.Plane;

/**
 * Temporal stability of a fused video: the flicker it adds that its sources do not have.
 *
 * <p>For each pair of consecutive frames and each pixel, the fused image's absolute change is
 * compared with the larger of the two sources' absolute changes; only the excess counts:
 * {@code e = max(0, |F_t - F_t-1| - max(|A_t - A_t-1|, |B_t - B_t-1|))}. The figure is the mean of
 * {@code e} over pixels and frame pairs, in gray levels per frame (8-bit scale). It is 0 for a
 * static scene fused without change, grows with flicker that the sources lack, and does not
 * penalise motion present in the sources: any fusion that moves no more than its busiest source at
 * a pixel (averaging, max, any convex combination) scores 0 on a moving scene.
 *
 * <p>Feed frames in order with {@link #accept}; the previous frames are kept in buffers sized at
 * the first frame, so steady-state calls allocate nothing. Not thread-safe.
 */
public final class TemporalStability {
    private byte[] prevA;
    private byte[] prevB;
    private byte[] prevF;
    private int width;
    private int height;
    private long frames;
    private double sum;
    private double worst;
    private double last;

    /** Adds the next frame triplet (infrared, visible luminance, fused), all of one size. */
    public void accept(Plane ir, Plane vis, Plane fused) {
        if (!ir.sameSize(fused) || !vis.sameSize(fused)) {
            throw new IllegalArgumentException("frame sizes differ: " + ir + ", " + vis + ", " + fused);
        }
        if (prevF == null) {
            width = fused.width();
            height = fused.height();
            int n = width * height;
            prevA = new byte[n];
            prevB = new byte[n];
            prevF = new byte[n];
        } else if (fused.width() != width || fused.height() != height) {
            throw new IllegalArgumentException("frame size changed from " + width + "x" + height + " to " + fused);
        }
        if (frames > 0) {
            long excess = 0;
            for (int y = 0; y < height; y++) {
                int row = y * width;
                for (int x = 0; x < width; x++) {
                    int a = ir.get(x, y);
                    int b = vis.get(x, y);
                    int f = fused.get(x, y);
                    int dA = Math.abs(a - (prevA[row + x] & 0xFF));
                    int dB = Math.abs(b - (prevB[row + x] & 0xFF));
                    int dF = Math.abs(f - (prevF[row + x] & 0xFF));
                    int e = dF - Math.max(dA, dB);
                    if (e > 0) {
                        excess += e;
                    }
                }
            }
            last = (double) excess / ((long) width * height);
            sum += last;
            worst = Math.max(worst, last);
        }
        for (int y = 0; y < height; y++) {
            ir.data().get(y * ir.stride(), prevA, y * width, width);
            vis.data().get(y * vis.stride(), prevB, y * width, width);
            fused.data().get(y * fused.stride(), prevF, y * width, width);
        }
        frames++;
    }

    /** The figure: mean excess change over all consecutive frame pairs so far (0 before two frames). */
    public double value() {
        return frames < 2 ? 0 : sum / (frames - 1);
    }

    /** The largest per-frame-pair excess seen. */
    public double worst() {
        return worst;
    }

    /** The excess of the latest frame pair. */
    public double last() {
        return last;
    }

    public long frames() {
        return frames;
    }

    /** Forgets everything (a new clip); buffers are kept when the size stays. */
    public void reset() {
        frames = 0;
        sum = 0;
        worst = 0;
        last = 0;
    }
}
