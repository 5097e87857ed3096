package io.ivfuse.quality.metric;

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

    private static final List<String> LOWER_IS_BETTER = List.of("MSE", "RMSE", "CE", "Nabf", "Cross_entropy", "Qcv");

    private static final Map<Convention, Map<String, Metric>> ALL = Map.of(
            Convention.VIFB, vifb(), Convention.CDDFUSE, cddfuse(), Convention.MEFB, mefb());

    private MetricCatalog() {
    }

    /** The metrics a convention reports by default. */
    public static List<Metric> defaults(Convention c) {
        return switch (c) {
            case VIFB -> select(c, VIFB_DEFAULT);
            case CDDFUSE -> select(c, CDDFUSE_DEFAULT);
            case MEFB -> List.copyOf(ALL.get(c).values());
        };
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
        double apply(GrayPlane vis, GrayPlane ir, GrayPlane fused);
    }

    private record VifbMetric(String name, boolean higherIsBetter, boolean roundedGray, GrayFormula formula)
            implements Metric {
        @Override
        public Convention convention() {
            return Convention.VIFB;
        }

        @Override
        public double compute(Triplet t) {
            Triplet.Views vis = t.visibleViews();
            Triplet.Views ir = t.infraredViews();
            Triplet.Views fused = t.fusedViews();
            if (!t.fused().isColour()) {
                return formula.apply(vis.matlabGray(roundedGray), ir.matlabGray(roundedGray), fused.channel(0));
            }
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += formula.apply(vis.channel(k), ir.channel(k), fused.channel(k));
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
        public double compute(Triplet t) {
            return formula.apply(t.visibleViews().opencvGray(), t.infraredViews().opencvGray(), t.fusedViews().opencvGray());
        }
    }

    /** MEFB: under-exposure, over-exposure, fused; per RGB channel and averaged when the fused image is colour. */
    private record MefbMetric(String name, boolean higherIsBetter, GrayFormula formula) implements Metric {
        @Override
        public Convention convention() {
            return Convention.MEFB;
        }

        @Override
        public double compute(Triplet t) {
            Triplet.Views under = t.underViews();
            Triplet.Views over = t.overViews();
            Triplet.Views fused = t.fusedViews();
            if (!t.fused().isColour()) {
                return formula.apply(under.matlabGray(true), over.matlabGray(true), fused.channel(0));
            }
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += formula.apply(under.channel(k), over.channel(k), fused.channel(k));
            }
            return sum / 3;
        }
    }

    /** MEFB's MEF_SSIM: rgb2gray (uint8, rounded) of all three images. */
    private record MefbMefSsim() implements Metric {
        @Override
        public String name() {
            return "MEF_SSIM";
        }

        @Override
        public Convention convention() {
            return Convention.MEFB;
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }

        @Override
        public double compute(Triplet t) {
            GrayPlane f = t.fusedViews().matlabGray(true);
            return MefSsim.mefSsim(new double[][] {t.underViews().matlabGray(true).samples,
                t.overViews().matlabGray(true).samples}, f.samples, f.width, f.height);
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
        public double compute(Triplet t) {
            MetricImage fused = t.fused();
            return GradientMetrics.spatialFrequencyVifb(fused.channels(), fused.width(), fused.height());
        }
    }

    /** Definitions shared by both conventions, given whether the convention rounds the histogram bins. */
    private static void common(Map<String, GrayFormula> m) {
        m.put("CC", (v, i, f) -> ReferenceMetrics.cc(i.samples, v.samples, f.samples));
        m.put("SCD", (v, i, f) -> ReferenceMetrics.scd(i.samples, v.samples, f.samples));
        m.put("VIF", (v, i, f) -> VisualInformationFidelity.vif(i, f) + VisualInformationFidelity.vif(v, f));
        m.put("Qabf", (v, i, f) -> EdgeTransferMetrics.qabf(i, v, f));
        m.put("Nabf", (v, i, f) -> EdgeTransferMetrics.nabf(i, v, f));
        m.put("MS-SSIM", (v, i, f) -> StructuralSimilarity.msSsim(i, f) + StructuralSimilarity.msSsim(v, f));
        m.put("EI", (v, i, f) -> GradientMetrics.edgeIntensity(f));
        m.put("CE", (v, i, f) -> (InformationMetrics.crossEntropy(v, f) + InformationMetrics.crossEntropy(i, f)) / 2);
    }

    private static Map<String, Metric> vifb() {
        Map<String, GrayFormula> f = new LinkedHashMap<>();
        f.put("EN", (v, i, g) -> InformationMetrics.entropy(g, false));
        f.put("SD", (v, i, g) -> GradientMetrics.standardDeviation(g.samples));
        f.put("AG", (v, i, g) -> GradientMetrics.averageGradientSum(g.samples, g.width, g.height)
                / ((double) (g.width - 1) * (g.height - 1)));
        f.put("MI", (v, i, g) -> InformationMetrics.mutualInformationVifb(v, g) + InformationMetrics.mutualInformationVifb(i, g));
        f.put("PSNR", (v, i, g) -> ReferenceMetrics.psnrVifb(v.samples, i.samples, g.samples));
        f.put("RMSE", (v, i, g) -> ReferenceMetrics.rmseVifb(v.samples, i.samples, g.samples));
        f.put("MSE", (v, i, g) -> ReferenceMetrics.mse(i.samples, v.samples, g.samples));
        f.put("SSIM", (v, i, g) -> StructuralSimilarity.ssimWang(v, g) + StructuralSimilarity.ssimWang(i, g));
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
        f.put("EN", (v, i, g) -> InformationMetrics.entropy(g, true));
        f.put("SD", (v, i, g) -> GradientMetrics.standardDeviation(g.samples));
        f.put("SF", (v, i, g) -> GradientMetrics.spatialFrequency(g.samples, g.width, g.height));
        f.put("AG", (v, i, g) -> GradientMetrics.averageGradientSum(g.samples, g.width, g.height) / ((double) g.pixels()));
        f.put("MI", (v, i, g) -> InformationMetrics.mutualInformation(g, i) + InformationMetrics.mutualInformation(g, v));
        f.put("MSE", (v, i, g) -> ReferenceMetrics.mse(i.samples, v.samples, g.samples));
        f.put("PSNR", (v, i, g) -> ReferenceMetrics.psnr(i.samples, v.samples, g.samples));
        f.put("SSIM", (v, i, g) -> StructuralSimilarity.ssimSkimage(g, i) + StructuralSimilarity.ssimSkimage(g, v));
        common(f);
        Map<String, Metric> out = new LinkedHashMap<>();
        for (String name : order(f.keySet())) {
            out.put(name, new CddfuseMetric(name, !LOWER_IS_BETTER.contains(name), f.get(name)));
        }
        return out;
    }

    /**
     * MEFB's metrics, named as MEFB names them, in its table order. Here "v" is the under-exposure
     * and "i" the over-exposure of {@link GrayFormula}'s (visible, infrared, fused).
     */
    private static Map<String, Metric> mefb() {
        Map<String, GrayFormula> f = new LinkedHashMap<>();
        f.put("Cross_entropy", (u, o, g) -> (InformationMetrics.crossEntropy(u, g) + InformationMetrics.crossEntropy(o, g)) / 2);
        f.put("Entropy", (u, o, g) -> InformationMetrics.entropy(g, false));
        f.put("NMI", InformationMetrics::nmi);
        f.put("Qncie", InformationMetrics::ncie);
        f.put("Qabf", EdgeTransferMetrics::qabf);
        f.put("VIF", FusionVisualInformationFidelity::viff);
        f.put("Qcb", HumanVisionMetrics::qcb);
        f.put("Qcv", HumanVisionMetrics::qcv);
        f.put("Qw", FusionSsimMetrics::qw);
        f.put("Qy", FusionSsimMetrics::qy);
        f.put("Psnr", (u, o, g) -> ReferenceMetrics.psnrVifb(u.samples, o.samples, g.samples));
        f.put("SD", (u, o, g) -> GradientMetrics.standardDeviation(g.samples));
        f.put("Spatial_frequency", (u, o, g) -> GradientMetrics.spatialFrequencyVifb(new double[][] {g.samples}, g.width, g.height));
        f.put("Avg_gradient", (u, o, g) -> GradientMetrics.averageGradientSum(g.samples, g.width, g.height)
                / ((double) (g.width - 1) * (g.height - 1)));
        f.put("Edge_intensity", (u, o, g) -> GradientMetrics.edgeIntensity(g));
        Map<String, Metric> out = new LinkedHashMap<>();
        out.put("MEF_SSIM", new MefbMefSsim());
        f.forEach((name, formula) -> out.put(name, new MefbMetric(name, !LOWER_IS_BETTER.contains(name), formula)));
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
