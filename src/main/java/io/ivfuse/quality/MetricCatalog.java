package io.ivfuse.quality;

import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of each convention, with the colour handling of that convention.
 *
 * <p>vifb: when the fused image has three channels every metric is computed per channel k (visible
 * channel k; infrared channel k, or the infrared gray image) and the three values averaged; when
 * it is gray, colour sources go through MATLAB rgb2gray, rounded or not exactly where the VIFB code
 * calls it on uint8 or on double data. Spatial frequency folds the channels side by side, as
 * MATLAB's two-output {@code size} does in that code.
 *
 * <p>cddfuse: all three images are made gray with OpenCV BGR2GRAY (float) and rounded first.
 */
public final class MetricCatalog {
    /** The metrics each convention's reference reports, in its order; the default selection. */
    private static final List<String> VIFB_DEFAULT =
            List.of("EN", "SD", "SF", "AG", "MI", "PSNR", "RMSE", "Qabf", "SSIM", "EI", "CE");
    private static final List<String> CDDFUSE_DEFAULT =
            List.of("EN", "SD", "SF", "AG", "MI", "MSE", "CC", "PSNR", "SCD", "VIF", "Qabf", "SSIM");

    private static final List<String> LOWER_IS_BETTER = List.of("MSE", "RMSE", "CE", "Nabf");

    private static final Map<Convention, Map<String, Metric>> ALL = Map.of(
            Convention.VIFB, vifb(), Convention.CDDFUSE, cddfuse());

    private MetricCatalog() {
    }

    /** The metrics a convention reports by default. */
    public static List<Metric> defaults(Convention c) {
        return select(c, c == Convention.VIFB ? VIFB_DEFAULT : CDDFUSE_DEFAULT);
    }

    /** Every metric available under a convention, by name. */
    public static Map<String, Metric> available(Convention c) {
        return ALL.get(c);
    }

    /** The named metrics (case-insensitive); an unknown name is an {@link IvfuseException}. */
    public static List<Metric> select(Convention c, List<String> names) {
        List<Metric> out = new ArrayList<>();
        for (String n : names) {
            Metric m = ALL.get(c).entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(n.trim()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IvfuseException("unknown metric '" + n.trim() + "' for convention "
                            + c.id() + " (known: " + String.join(", ", ALL.get(c).keySet()) + ")"));
            out.add(m);
        }
        return out;
    }

    /** A metric of gray planes: visible, infrared, fused. */
    @FunctionalInterface
    interface GrayFormula {
        double apply(double[] vis, double[] ir, double[] fused, int w, int h);
    }

    private record VifbMetric(String name, boolean higherIsBetter, boolean roundedGray, GrayFormula formula)
            implements Metric {
        @Override
        public Convention convention() {
            return Convention.VIFB;
        }

        @Override
        public double compute(MetricImage ir, MetricImage vis, MetricImage fused) {
            checkSizes(ir, vis, fused);
            int w = fused.width();
            int h = fused.height();
            if (!fused.isColour()) {
                return formula.apply(GrayConversion.matlabRgb2Gray(vis, roundedGray),
                        GrayConversion.matlabRgb2Gray(ir, roundedGray), fused.plane(), w, h);
            }
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                double[] v = vis.isColour() ? vis.channel(k) : vis.plane();
                double[] i = ir.isColour() ? ir.channel(k) : ir.plane();
                sum += formula.apply(v, i, fused.channel(k), w, h);
            }
            return sum / 3;
        }
    }

    private record CddfuseMetric(String name, boolean higherIsBetter, GrayFormula formula) implements Metric {
        @Override
        public Convention convention() {
            return Convention.CDDFUSE;
        }

        @Override
        public double compute(MetricImage ir, MetricImage vis, MetricImage fused) {
            checkSizes(ir, vis, fused);
            return formula.apply(GrayConversion.opencvFloatGrayRounded(vis), GrayConversion.opencvFloatGrayRounded(ir),
                    GrayConversion.opencvFloatGrayRounded(fused), fused.width(), fused.height());
        }
    }

    /** VIFB's spatial frequency works on the whole (possibly colour) fused image at once. */
    private record VifbSpatialFrequency() implements Metric {
        @Override
        public String name() {
            return "SF";
        }

        @Override
        public Convention convention() {
            return Convention.VIFB;
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }

        @Override
        public double compute(MetricImage ir, MetricImage vis, MetricImage fused) {
            checkSizes(ir, vis, fused);
            return GradientMetrics.spatialFrequencyVifb(fused.channels(), fused.width(), fused.height());
        }
    }

    static void checkSizes(MetricImage ir, MetricImage vis, MetricImage fused) {
        if (!ir.sameSize(fused) || !vis.sameSize(fused)) {
            throw new IllegalArgumentException("image sizes differ: infrared " + ir.width() + "x" + ir.height()
                    + ", visible " + vis.width() + "x" + vis.height() + ", fused " + fused.width() + "x" + fused.height());
        }
    }

    /** Definitions shared by both conventions, given whether the convention rounds the histogram bins. */
    private static void common(Map<String, GrayFormula> m) {
        m.put("CC", (v, i, f, w, h) -> ReferenceMetrics.cc(i, v, f));
        m.put("SCD", (v, i, f, w, h) -> ReferenceMetrics.scd(i, v, f));
        m.put("VIF", (v, i, f, w, h) -> VisualInformationFidelity.vif(i, f, w, h) + VisualInformationFidelity.vif(v, f, w, h));
        m.put("Qabf", (v, i, f, w, h) -> EdgeTransferMetrics.qabf(i, v, f, w, h));
        m.put("Nabf", (v, i, f, w, h) -> EdgeTransferMetrics.nabf(i, v, f, w, h));
        m.put("MS-SSIM", (v, i, f, w, h) -> StructuralSimilarity.msSsim(i, f, w, h) + StructuralSimilarity.msSsim(v, f, w, h));
        m.put("EI", (v, i, f, w, h) -> GradientMetrics.edgeIntensity(f, w, h));
        m.put("CE", (v, i, f, w, h) -> (InformationMetrics.crossEntropy(v, f) + InformationMetrics.crossEntropy(i, f)) / 2);
    }

    private static Map<String, Metric> vifb() {
        Map<String, GrayFormula> f = new LinkedHashMap<>();
        f.put("EN", (v, i, g, w, h) -> InformationMetrics.entropy(g, false));
        f.put("SD", (v, i, g, w, h) -> GradientMetrics.standardDeviation(g));
        f.put("AG", (v, i, g, w, h) -> GradientMetrics.averageGradientSum(g, w, h) / ((double) (w - 1) * (h - 1)));
        f.put("MI", (v, i, g, w, h) -> InformationMetrics.mutualInformationVifb(v, g) + InformationMetrics.mutualInformationVifb(i, g));
        f.put("PSNR", (v, i, g, w, h) -> ReferenceMetrics.psnrVifb(v, i, g));
        f.put("RMSE", (v, i, g, w, h) -> ReferenceMetrics.rmseVifb(v, i, g));
        f.put("MSE", (v, i, g, w, h) -> ReferenceMetrics.mse(i, v, g));
        f.put("SSIM", (v, i, g, w, h) -> StructuralSimilarity.ssimWang(v, g, w, h) + StructuralSimilarity.ssimWang(i, g, w, h));
        common(f);
        // Where the VIFB code converts colour sources of a gray fused image from double data, rgb2gray does not round.
        List<String> unrounded = List.of("PSNR", "RMSE", "MSE", "Qabf");
        Map<String, Metric> out = new LinkedHashMap<>();
        for (String name : order(f.keySet())) {
            out.put(name, name.equals("SF") ? new VifbSpatialFrequency()
                    : new VifbMetric(name, !LOWER_IS_BETTER.contains(name), !unrounded.contains(name), f.get(name)));
        }
        return out;
    }

    private static Map<String, Metric> cddfuse() {
        Map<String, GrayFormula> f = new LinkedHashMap<>();
        f.put("EN", (v, i, g, w, h) -> InformationMetrics.entropy(g, true));
        f.put("SD", (v, i, g, w, h) -> GradientMetrics.standardDeviation(g));
        f.put("SF", (v, i, g, w, h) -> GradientMetrics.spatialFrequency(g, w, h));
        f.put("AG", (v, i, g, w, h) -> GradientMetrics.averageGradientSum(g, w, h) / ((double) w * h));
        f.put("MI", (v, i, g, w, h) -> InformationMetrics.mutualInformation(g, i) + InformationMetrics.mutualInformation(g, v));
        f.put("MSE", (v, i, g, w, h) -> ReferenceMetrics.mse(i, v, g));
        f.put("PSNR", (v, i, g, w, h) -> ReferenceMetrics.psnr(i, v, g));
        f.put("SSIM", (v, i, g, w, h) -> StructuralSimilarity.ssimSkimage(g, i, w, h) + StructuralSimilarity.ssimSkimage(g, v, w, h));
        common(f);
        Map<String, Metric> out = new LinkedHashMap<>();
        for (String name : order(f.keySet())) {
            out.put(name, new CddfuseMetric(name, !LOWER_IS_BETTER.contains(name), f.get(name)));
        }
        return out;
    }

    /** The metric order, keeping only the names defined. */
    private static List<String> order(java.util.Set<String> defined) {
        List<String> all = List.of("EN", "SD", "SF", "AG", "MI", "SCD", "CC", "MSE", "PSNR", "RMSE", "VIF", "Qabf",
                "Nabf", "SSIM", "MS-SSIM", "EI", "CE");
        List<String> out = new ArrayList<>();
        for (String n : all) {
            if (defined.contains(n) || n.equals("SF")) {
                out.add(n);
            }
        }
        return out;
    }
}
