package io.ivfuse.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivfuse.util.JsonFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The job, in three Spark stages, each a task per item, so that no stage reads the archive through
 * the driver:
 * <ol>
 * <li>probe each pair: its files' frame counts and the visible keyframes to cut at
 *     ({@link KeyframeProbe}, packets only);</li>
 * <li>fuse each segment ({@link SegmentTask}): {@code batch.segment_seconds} of visible frames,
 *     with a pre-roll, so a long recording is spread over the cluster;</li>
 * <li>join each pair's segments without re-encoding ({@link SegmentJoin}).</li>
 * </ol>
 * A failed pair is a line of the report ({@code OUTDIR/report.json}), not a failed job.
 */
public final class ArchiveJob {
    /** Spark's local master with retries, {@code local[N,F]}: F attempts per task (plain local mode makes one). */
    private static final Pattern LOCAL_WITH_RETRIES = Pattern.compile("local\\[[^,\\]]+,\\s*(\\d+)]");

    private ArchiveJob() {
    }

    public static JobReport run(SparkSession spark, List<RecordingPair> pairs, BatchConfig config, Path outDir) {
        return run(spark, pairs, config, outDir, TaskFault.NONE);
    }

    static JobReport run(SparkSession spark, List<RecordingPair> pairs, BatchConfig config, Path outDir, TaskFault fault) {
        long start = System.nanoTime();
        SparkContext sc = spark.sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        double segmentSeconds = config.batch().segmentSeconds();
        List<Probed> probed = jsc.parallelize(pairs, pairs.size()).map(p -> Probed.of(p, segmentSeconds)).collect();

        List<Segment> segments = probed.stream().flatMap(p -> p.segments.stream()).toList();
        SegmentTask task = new SegmentTask(config, maxAttempts(sc), fault);
        List<SegmentResult> fused = jsc.parallelize(segments, segments.size()).map(task::run).collect();

        // Spark's collect keeps the input order: each pair's segments, in order, pair after pair.
        Map<RecordingPair, List<SegmentResult>> byPair = fused.stream()
                .collect(Collectors.groupingBy(r -> r.segment().pair()));
        List<Joinable> joinable = probed.stream().map(p -> new Joinable(p, byPair.get(p.pair))).toList();
        List<PairResult> results = jsc.parallelize(joinable, joinable.size()).map(Joinable::finish).collect();
        JobReport report = JobReport.of(results, (System.nanoTime() - start) / 1e9, sc.master());
        report.write(outDir);
        return report;
    }

    /** How many times Spark runs a failing task: {@code spark.task.maxFailures} (4), in local mode 1 unless {@code local[N,F]}. */
    static int maxAttempts(SparkContext sc) {
        String master = sc.master();
        if (master.startsWith("local")) {
            Matcher m = LOCAL_WITH_RETRIES.matcher(master);
            return m.matches() ? Integer.parseInt(m.group(1)) : 1;
        }
        return sc.getConf().getInt("spark.task.maxFailures", 4);
    }

    /** A pair, its files' probes (null where FFmpeg cannot read one) and its segments (one, whole, when it cannot be cut). */
    private record Probed(RecordingPair pair, KeyframeProbe ir, KeyframeProbe vis, List<Segment> segments)
            implements Serializable {
        static Probed of(RecordingPair pair, double segmentSeconds) {
            KeyframeProbe vis = KeyframeProbe.of(pair.vis());
            KeyframeProbe ir = KeyframeProbe.of(pair.ir());
            // An unreadable file is fused whole, so that its task fails with ivfuse's own reason.
            List<Long> cuts = vis == null || ir == null ? List.of() : vis.cuts(segmentSeconds);
            return new Probed(pair, ir, vis, Segment.of(pair, cuts));
        }
    }

    /** A pair's fused segments, to be joined into its output, or its failure reported. */
    private record Joinable(Probed probed, List<SegmentResult> fused) implements Serializable {
        PairResult finish() {
            RecordingPair pair = probed.pair;
            SegmentResult failed = fused.stream().filter(r -> !r.succeeded()).findFirst().orElse(null);
            if (failed == null && fused.size() == 1) {
                return PairResult.ok(pair, fused, probed.ir, probed.vis, 0); // fused whole, straight into its output
            }
            Path folder = probed.segments.get(0).folder();
            try {
                if (failed != null) {
                    String where = failed.segment().label();
                    return PairResult.failed(pair, fused, probed.ir, probed.vis,
                            where.isEmpty() ? failed.error() : where + ": " + failed.error());
                }
                long t0 = System.nanoTime();
                long expected = fused.stream().mapToLong(SegmentResult::framesOut).sum();
                long joined = SegmentJoin.join(fused.stream().map(r -> r.segment().file()).toList(), Path.of(pair.output()));
                if (joined != expected) { // never a silently short output
                    Files.deleteIfExists(Path.of(pair.output()));
                    return PairResult.failed(pair, fused, probed.ir, probed.vis,
                            "joining " + fused.size() + " segments wrote " + joined + " frames of " + expected);
                }
                writeSidecar(pair, fused);
                return PairResult.ok(pair, fused, probed.ir, probed.vis, (System.nanoTime() - t0) / 1e9);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteFolder(folder);
            }
        }
    }

    /** {@code <id>.json} of a segmented pair: {@code {"segments": [each segment's run summary]}}, written whole or not at all. */
    private static void writeSidecar(RecordingPair pair, List<SegmentResult> fused) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode sidecar = json.createObjectNode();
        ArrayNode summaries = sidecar.putArray("segments");
        for (SegmentResult r : fused) {
            Path file = r.segment().file();
            String name = file.getFileName().toString();
            summaries.add(json.readTree(file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".json").toFile()));
        }
        Path output = Path.of(pair.output());
        String name = output.getFileName().toString();
        Path target = output.resolveSibling((name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + ".json");
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        JsonFiles.write(partial, sidecar, "summary of pair " + pair.id());
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the segment folder " + folder, e);
        }
    }
}
