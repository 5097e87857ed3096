package io.ivfuse.quality.metric;

/** One fusion quality metric under one {@link Convention}. Stateless and thread-safe. */
public interface Metric {

    /** The short name used in tables (EN, SSIM, Qabf, ...). */
    String name();

    Convention convention();

    /** Whether a larger value means a better fusion (false for RMSE, MSE, CE, Nabf). */
    boolean higherIsBetter();

    /**
     * The metric of the triplet's fused image given its two sources. Metrics computed on the same
     * {@link Triplet} share their common work (gray conversions, filtered statistics, gradients).
     */
    double compute(Triplet triplet);

    /** The metric of {@code fused} given the two sources, all of the same size, sharing nothing. */
    default double compute(MetricImage infrared, MetricImage visible, MetricImage fused) {
        return compute(new Triplet(infrared, visible, fused));
    }
}
