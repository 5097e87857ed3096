package io.ivfuse.source;

import io.ivfuse.frame.Plane;
import java.nio.ShortBuffer;

/**
 * Maps 16-bit thermal frames (Y16 / gray16) to 8 bits with a robust automatic gain: the frame's
 * histogram is clipped at two percentiles and the range between them stretched to 0..255. The
 * range is smoothed over time (exponentially) so the gain does not flicker from frame to frame.
 * Allocation-free per frame: the 65,536-bin histogram is allocated once.
 */
public final class Gray16Gain {
    private final double lowFraction;
    private final double highFraction;
    private final double smoothing;
    private final int[] histogram = new int[65536];
    private double low = -1;
    private double high = -1;

    public Gray16Gain(double lowPercentile, double highPercentile, double smoothing) {
        if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100 percentiles");
        }
        this.lowFraction = lowPercentile / 100.0;
        this.highFraction = highPercentile / 100.0;
        this.smoothing = smoothing;
    }

    /** Maps {@code src} (width x height unsigned 16-bit values, rows of {@code srcStride} values) into {@code dst}. */
    public void apply(ShortBuffer src, int srcStride, Plane dst) {
        int w = dst.width();
        int h = dst.height();
        java.util.Arrays.fill(histogram, 0);
        for (int y = 0; y < h; y++) {
            int row = y * srcStride;
            for (int x = 0; x < w; x++) {
                histogram[src.get(row + x) & 0xFFFF]++;
            }
        }
        long total = (long) w * h;
        int lo = percentile((long) Math.floor(lowFraction * (total - 1)));
        int hi = percentile((long) Math.ceil(highFraction * (total - 1)));
        if (low < 0) {
            low = lo;
            high = hi;
        } else {
            low = smoothing * low + (1 - smoothing) * lo;
            high = smoothing * high + (1 - smoothing) * hi;
        }
        double span = Math.max(1.0, high - low);
        double scale = 255.0 / span;
        for (int y = 0; y < h; y++) {
            int row = y * srcStride;
            for (int x = 0; x < w; x++) {
                double v = ((src.get(row + x) & 0xFFFF) - low) * scale;
                dst.set(x, y, v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5));
            }
        }
    }

    /** The smallest value whose cumulative count exceeds {@code rank} (0-based). */
    private int percentile(long rank) {
        long seen = 0;
        for (int v = 0; v < histogram.length; v++) {
            seen += histogram[v];
            if (seen > rank) {
                return v;
            }
        }
        return histogram.length - 1;
    }

    /** The current (smoothed) input range mapped to 0..255. */
    public double low() {
        return low;
    }

    public double high() {
        return high;
    }
}
