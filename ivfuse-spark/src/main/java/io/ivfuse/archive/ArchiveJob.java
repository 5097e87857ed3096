package io.ivfuse.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The driver's side: one Spark task per pair (a partition each), the results collected, and
 * {@code OUTDIR/report.json} written. Each task fuses its pair with the run pipeline
 * ({@link PairTask}); a failed pair is a line of the report, not a failed job.
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
        PairTask task = new PairTask(config, maxAttempts(sc), fault);
        List<PairResult> results = JavaSparkContext.fromSparkContext(sc)
                .parallelize(pairs, pairs.size())
                .map(task::run)
                .collect();
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
}
