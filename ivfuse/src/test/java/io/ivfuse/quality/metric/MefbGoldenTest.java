package io.ivfuse.quality.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.quality.evaluation.ImageFiles;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mefb convention against MEFB's own MATLAB values (../shared/data/mefb/golden_per_image.tsv:
 * 12 pairs x the 8 methods whose fused images are there x 20 metrics = 1,920 values), each held to
 * one unit of its 5th significant digit, the precision stored.
 *
 * <p>Qy is ill-conditioned: its SSIM constants are 2e-16, so in windows where a source and the
 * fused image are both flat the local SSIM is a ratio of rounding residues (see
 * ../shared/data/mef/GOLDEN.md). The test counts those windows per value; a value with none must
 * match like the others, a value with some cannot be reproduced by any implementation that sums in
 * another order, and is only reported.
 *
 * <p>Qcb is a known deviation: 70 of its 96 values match to the digits stored, the others (all 8
 * methods of Landscape and 507, most of Ostrow, ArtistPalette; TableLamp/MEFNet) differ by up to
 * 0.7%; the cause is not found. It is held to 1% and to at least 70 exact matches.
 */
class MefbGoldenTest {
    static final List<String> METHODS = List.of("DEM", "FMMEF", "GFF", "IFCNN", "MEFNet", "MGFF", "SPD_MEF", "U2Fusion");
    static final List<String> PAIRS = List.of("507", "ArtistPalette", "Bathtub", "Cave", "Farmhouse", "Knossos7",
            "Landscape", "Mask", "Ostrow", "TableLamp", "WallDrug", "Zentrum");

    /** pair -> method -> metric -> our value; and pair -> method -> ill-conditioned Qy windows over the 3 channels. */
    private static final Map<String, Map<String, Map<String, Double>>> ours = new ConcurrentHashMap<>();
    private static final Map<String, Long> flatQyWindows = new ConcurrentHashMap<>();
    private static List<String[]> golden;

    @BeforeAll
    static void computeAll() {
        List<String> files = new ArrayList<>(List.of("data/mefb/golden_per_image.tsv"));
        for (String p : PAIRS) {
            files.add("data/mefb/inputs/" + p + "/A.png");
            files.add("data/mefb/inputs/" + p + "/B.png");
            METHODS.forEach(m -> files.add("data/mefb/fused/" + m + "/" + p + ".png"));
        }
        golden = SharedFiles.tsv(SharedFiles.requireAll(files).get(0));
        Path dir = SharedFiles.ROOT.resolve("data/mefb");
        Map<String, Metric> metrics = MetricCatalog.available(Convention.MEFB);
        // Pairs in parallel (each pair's sources shared by its 8 fused images), methods in turn.
        PAIRS.parallelStream().forEach(pair -> {
            MetricImage a = ImageFiles.read(dir.resolve("inputs").resolve(pair).resolve("A.png"));
            MetricImage b = ImageFiles.read(dir.resolve("inputs").resolve(pair).resolve("B.png"));
            Triplet.Sources sources = Triplet.exposures(a, b);
            for (String method : METHODS) {
                Triplet t = sources.with(ImageFiles.read(dir.resolve("fused").resolve(method).resolve(pair + ".png")));
                Map<String, Double> values = new TreeMap<>();
                metrics.forEach((name, m) -> values.put(name, m.compute(t)));
                ours.computeIfAbsent(pair, k -> new ConcurrentHashMap<>()).put(method, values);
                long flat = 0;
                for (int k = 0; k < 3; k++) {
                    flat += FusionSsimMetrics.illConditionedWindows(t.underViews().channel(k), t.overViews().channel(k),
                            t.fusedViews().channel(k));
                }
                flatQyWindows.put(pair + "/" + method, flat);
            }
        });
    }

    /** One unit of the 5th significant digit of the stored value, plus our own rounding error. */
    static double tolerance(double ref) {
        if (ref == 0) {
            return 1e-12;
        }
        return Math.pow(10, Math.floor(Math.log10(Math.abs(ref))) - 4) * (1 + 1e-6) + 1e-12 * Math.abs(ref);
    }

    /** Known deviations: the relative tolerance they are held to instead, and the least number of exact matches. */
    private static final double QCB_RELATIVE = 1e-2;
    private static final int QCB_EXACT_AT_LEAST = 70;

    @Test
    void everyRecomputableValueMatchesMefbToTheDigitsStored() {
        Map<String, int[]> perMetric = new TreeMap<>(); // metric -> {checked, matched}
        List<String> failures = new ArrayList<>();
        List<String> illConditioned = new ArrayList<>();
        Set<String> notImplemented = new TreeSet<>();
        int rows = 0;
        for (String[] r : golden) {
            if (!METHODS.contains(r[1])) {
                continue;
            }
            rows++;
            Double v = ours.get(r[0]).get(r[1]).get(r[2]);
            if (v == null) {
                notImplemented.add(r[2]);
                continue;
            }
            double ref = Double.parseDouble(r[3]);
            boolean ok = Math.abs(v - ref) <= tolerance(ref);
            int[] c = perMetric.computeIfAbsent(r[2], k -> new int[2]);
            c[0]++;
            c[1] += ok ? 1 : 0;
            String line = String.format(Locale.ROOT, "%s/%s %s: ours %.6g, MEFB %s", r[0], r[1], r[2], v, r[3]);
            if (r[2].equals("Qy") && flatQyWindows.get(r[0] + "/" + r[1]) > 0) {
                illConditioned.add(line + " (" + flatQyWindows.get(r[0] + "/" + r[1]) + " flat windows)" + (ok ? " matches" : ""));
            } else if (r[2].equals("Qcb") && !ok) {
                if (Math.abs(v - ref) > QCB_RELATIVE * Math.abs(ref)) {
                    failures.add(line + " (beyond the known Qcb deviation)");
                }
            } else if (!ok) {
                failures.add(line);
            }
        }
        System.out.println("MEFB per-image (checked, matched) per metric: " + perMetric.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()[1] + "/" + e.getValue()[0]).collect(Collectors.joining(", ")));
        System.out.println("not implemented: " + notImplemented);
        System.out.println("Qy values with ill-conditioned windows (" + illConditioned.size() + "):\n  "
                + String.join("\n  ", illConditioned));
        assertEquals(12 * 8 * 20, rows, "the 8 methods' rows of the golden file");
        assertTrue(perMetric.get("Qcb")[1] >= QCB_EXACT_AT_LEAST, "Qcb exact matches: " + perMetric.get("Qcb")[1]);
        assertTrue(illConditioned.stream().filter(l -> l.endsWith("matches")).count() >= 48,
                "Qy with flat windows that still match: fewer than before");
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
    }

    /** The decoded pixel sums GOLDEN.md gives for the gray scenes (ue, oe, fused mean, fused mertens). */
    private static final Map<String, long[]> GRAY_PIXEL_SUMS = Map.of(
            "dataset1_1", new long[] {25152690, 109722071, 67561638, 54176835},
            "dataset1_2", new long[] {7921647, 46400789, 27216657, 21102566},
            "dataset1_3", new long[] {7341989, 44991689, 26217882, 20197955},
            "dataset1_4", new long[] {21488238, 143558531, 82690930, 68818899},
            "dataset1_5", new long[] {22884057, 123457226, 73307413, 55523458},
            "dataset2_1", new long[] {11403698, 31984678, 21737977, 18973660},
            "dataset2_2", new long[] {4187408, 36153789, 20214127, 15422339},
            "dataset2_3", new long[] {8715285, 23917964, 16360343, 14561838});

    /**
     * Absolute tolerances beyond the 6 decimals stored (5e-7), see benchmarks/mef.md: MEF-SSIM is
     * 1e-6 to 2.3e-6 above Octave's in every scene (cause not found; below MEFB's 5 digits); Qw
     * differs by 1.2e-5 in dataset1_4, the most clipped scene; Qcb is the known deviation. VIF (Han)
     * differs by up to 3.4e-5 (dataset1_5 mean; 1.6e-5 dataset2_2 mean, 1.2e-5 dataset1_5 mertens, the
     * others within 5e-6): these scenes have thousands of flat, non-zero windows (JPEG blocks of the
     * under-exposure) whose variance E[x^2] - mu^2 is rounding residue of 1e-14..1e-8, on either side
     * of the metric's 1e-10 guard depending on summation order, and the guard decides which source a
     * window keeps. MEFB's own 96 VIF values (5 digits) all match.
     */
    private static final Map<String, Double> GRAY_TOLERANCE = Map.of("MEF_SSIM", 3e-6, "MEF_SSIM_scale1", 3e-6,
            "Qw", 2e-5, "Qcb", 2e-4, "VIF", 4e-5);

    /**
     * The 8 gray scenes of ../shared/data/mef against MEFB's code run in Octave (6 decimals). The
     * decoder is checked first against the pixel sums Octave read.
     */
    @Test
    void grayScenesMatchMefbCodeInOctave() {
        List<String> files = new ArrayList<>(List.of("data/mef/golden.tsv"));
        Map<String, String> ext = new TreeMap<>();
        for (String scene : GRAY_PIXEL_SUMS.keySet()) {
            String e = scene.startsWith("dataset1") ? "jpg" : "png";
            ext.put(scene, e);
            String n = scene.substring(scene.indexOf('_') + 1);
            files.add("data/mef/" + scene + "/ue_" + n + "." + e);
            files.add("data/mef/" + scene + "/oe_" + n + "." + e);
            files.add("data/mef/fused/" + scene + "_mean.png");
            files.add("data/mef/fused/" + scene + "_mertens.png");
        }
        List<String[]> rows = SharedFiles.tsv(SharedFiles.requireAll(files).get(0));
        Path dir = SharedFiles.ROOT.resolve("data/mef");
        Map<String, Metric> metrics = MetricCatalog.available(Convention.MEFB);
        Map<String, Map<String, Double>> values = new ConcurrentHashMap<>();
        Map<String, Long> flat = new ConcurrentHashMap<>();
        GRAY_PIXEL_SUMS.keySet().parallelStream().forEach(scene -> {
            String n = scene.substring(scene.indexOf('_') + 1);
            MetricImage ue = ImageFiles.read(dir.resolve(scene).resolve("ue_" + n + "." + ext.get(scene)));
            MetricImage oe = ImageFiles.read(dir.resolve(scene).resolve("oe_" + n + "." + ext.get(scene)));
            Triplet.Sources sources = Triplet.exposures(ue, oe);
            List<MetricImage> images = new ArrayList<>(List.of(ue, oe));
            for (String fusion : List.of("mean", "mertens")) {
                MetricImage f = ImageFiles.read(dir.resolve("fused").resolve(scene + "_" + fusion + ".png"));
                images.add(f);
                Triplet t = sources.with(f);
                Map<String, Double> v = new TreeMap<>();
                metrics.forEach((name, m) -> v.put(name, m.compute(t)));
                v.put("MEF_SSIM_scale1", MefSsim.scores(new double[][] {ue.plane(), oe.plane()}, f.plane(), f.width(),
                        f.height()).perScale()[0]);
                values.put(scene + "/" + fusion, v);
                flat.put(scene + "/" + fusion, FusionSsimMetrics.illConditionedWindows(t.underViews().channel(0),
                        t.overViews().channel(0), t.fusedViews().channel(0)));
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(GRAY_PIXEL_SUMS.get(scene)[i], (long) java.util.Arrays.stream(images.get(i).plane()).sum(),
                        scene + " image " + i + ": decoded pixels differ from Octave's");
            }
        });
        List<String> failures = new ArrayList<>();
        List<String> illConditioned = new ArrayList<>();
        Map<String, Double> worst = new TreeMap<>();
        int checked = 0;
        for (String[] r : rows) {
            Double v = values.get(r[0] + "/" + r[1]).get(r[2]);
            if (v == null) {
                continue;
            }
            double ref = Double.parseDouble(r[3]);
            double tol = GRAY_TOLERANCE.getOrDefault(r[2], 5e-7) + 1e-9 * Math.abs(ref);
            boolean ok = Math.abs(v - ref) <= tol;
            String line = String.format(Locale.ROOT, "%s/%s %s: ours %.6f, Octave %s", r[0], r[1], r[2], v, r[3]);
            long flatWindows = flat.get(r[0] + "/" + r[1]);
            if (r[2].equals("Qy") && flatWindows > 0) {
                illConditioned.add(line + " (" + flatWindows + " flat windows)" + (ok ? " matches" : ""));
                continue;
            }
            checked++;
            worst.merge(r[2], Math.abs(v - ref), Math::max);
            if (!ok) {
                failures.add(line);
            }
        }
        System.out.println("gray scenes: " + checked + " values checked; worst abs. difference per metric " + worst);
        System.out.println("Qy with ill-conditioned windows (" + illConditioned.size() + "):\n  " + String.join("\n  ", illConditioned));
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
    }
}
