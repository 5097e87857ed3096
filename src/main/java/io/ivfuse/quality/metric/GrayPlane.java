package io.ivfuse.quality.metric;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One gray plane a metric works on ({@code width} x {@code height} samples, row-major, 8-bit scale)
 * with what the metrics derive from it (filtered statistics, Sobel fields, histograms, coarser
 * scales), each made on first use and then shared: within a {@link Triplet} by every metric, and
 * for a source plane by every fused image evaluated against it.
 */
final class GrayPlane {
    final double[] samples;
    final int width;
    final int height;
    private final Map<Function<GrayPlane, ?>, Object> derived = new HashMap<>();

    GrayPlane(double[] samples, int width, int height) {
        if (samples.length != width * height) {
            throw new IllegalArgumentException(samples.length + " samples for " + width + "x" + height);
        }
        this.samples = samples;
        this.width = width;
        this.height = height;
    }

    int pixels() {
        return samples.length;
    }

    /**
     * What {@code derivation} makes of this plane, made once. The derivation itself is the key, so it
     * must be one constant object per kind of result (a static final field). Threads asking for the
     * same result wait for the first rather than computing it again.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(Function<GrayPlane, T> derivation) {
        synchronized (derived) {
            Object v = derived.get(derivation);
            if (v == null) {
                v = derivation.apply(this);
                derived.put(derivation, v);
            }
            return (T) v;
        }
    }
}
