package io.ivfuse.quality.metric;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
    private final Map<Object, Object> derived = new HashMap<>();

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
    <T> T derived(Function<GrayPlane, T> derivation) {
        return cached(derivation, () -> derivation.apply(this));
    }

    /**
     * What {@code derivation} makes of this plane and {@code other} (a source pair's own result, such
     * as Qy's SSIM of the two sources), made once per other plane; the same rules as {@link #derived(Function)}.
     */
    <T> T derived(BiFunction<GrayPlane, GrayPlane, T> derivation, GrayPlane other) {
        return cached(List.of(derivation, other), () -> derivation.apply(this, other));
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Object key, java.util.function.Supplier<T> make) {
        synchronized (derived) {
            Object v = derived.get(key);
            if (v == null) {
                v = make.get();
                derived.put(key, v);
            }
            return (T) v;
        }
    }
}
