package io.ivfuse.quality.metric;

import io.ivfuse.quality.evaluation.ImageFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cddfuse convention against the CDDFuse Python evaluator's values on the four crosscheck
 * triplets, to 1e-4 relative; and the vifb convention against the independent re-implementation's
 * values on the same triplets (a convenience table, not external).
 */
class CddfuseCrosscheckTest {
    private static final Map<String, String> REFERENCE_NAMES = Map.of("VIFF", "VIF");

    private static String tag(String pair) {
        return pair.replaceFirst("\\.(png|jpg)$", "").replace("/", "__");
    }

    /** The rows of a table in data/crosscheck, after checking that the triplet of every row's tag is there. */
    private static List<String[]> rowsWithTheirTriplets(String table, java.util.function.Function<String[], String> tagOf) {
        List<String[]> rows = SharedFiles.tsv(SharedFiles.require("data/crosscheck/" + table));
        SharedFiles.requireAll(rows.stream().map(tagOf).distinct()
                .flatMap(t -> java.util.stream.Stream.of("ir_gray", "vis_gray", "fused_avg").map(k -> "data/crosscheck/" + t + "__" + k + ".png"))
                .toList());
        return rows;
    }

    private static MetricImage[] triplet(Path dir, String tag) {
        return new MetricImage[] {ImageFiles.read(dir.resolve(tag + "__ir_gray.png")),
            ImageFiles.read(dir.resolve(tag + "__vis_gray.png")), ImageFiles.read(dir.resolve(tag + "__fused_avg.png"))};
    }

    @Test
    void cddfuseConventionReproducesThePythonEvaluator() {
        List<String[]> rows = rowsWithTheirTriplets("crosscheck_cddfuse_reference.tsv", r -> tag(r[0]));
        Path dir = SharedFiles.ROOT.resolve("data/crosscheck");
        Map<String, Metric> metrics = MetricCatalog.available(Convention.CDDFUSE);
        Map<String, MetricImage[]> cache = new HashMap<>();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String[] r : rows) {
            String name = REFERENCE_NAMES.getOrDefault(r[3], r[3]);
            if (name.startsWith("SSIM_")) {
                continue; // the evaluator's SSIM with other settings, for information only
            }
            Metric m = metrics.get(name);
            MetricImage[] t = cache.computeIfAbsent(tag(r[0]), k -> triplet(dir, k));
            assertEquals(Integer.parseInt(r[1]), t[0].width(), r[0]);
            double v = m.compute(t[0], t[1], t[2]);
            double ref = Double.parseDouble(r[4]);
            checked++;
            if (Math.abs(v - ref) > 1e-4 * Math.abs(ref)) {
                failures.add(r[0] + " " + name + ": ours " + v + ", reference " + ref);
            }
        }
        assertEquals(4 * 12, checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void vifbConventionAgreesWithTheReimplementationOnTheSameTriplets() {
        List<String[]> rows = rowsWithTheirTriplets("crosscheck_vifb_convention.tsv", r -> r[0]);
        Path dir = SharedFiles.ROOT.resolve("data/crosscheck");
        Map<String, Metric> metrics = MetricCatalog.available(Convention.VIFB);
        List<String> failures = new ArrayList<>();
        for (String[] r : rows) {
            Metric m = metrics.get(VifbGoldenTest.VIFB_NAMES.get(r[1]));
            MetricImage[] t = triplet(dir, r[0]);
            double v = m.compute(t[0], t[1], t[2]);
            double ref = Double.parseDouble(r[2]);
            if (Math.abs(v - ref) > 1e-4 * Math.abs(ref)) {
                failures.add(r[0] + " " + r[1] + ": ours " + v + ", table " + ref);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
