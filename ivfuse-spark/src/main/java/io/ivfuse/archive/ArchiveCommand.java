package io.ivfuse.archive;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse-spark}: fuses every pair of an archive on Spark. Locally:
 * {@code java -jar ivfuse-spark.jar --master local[2] --input DIR|MANIFEST -o OUTDIR}; on a cluster
 * through {@code spark-submit}, which sets the master. Exit 0 when every pair was fused, 2 when
 * the input, the config or any pair was bad (one line each on stderr; the report says the rest).
 */
@Command(name = "ivfuse-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fuse an archive of recorded IR/visible pairs on Apache Spark: OUTDIR/<id>.mp4 and OUTDIR/report.json.")
public final class ArchiveCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's).")
    String master;
    @Option(names = "--input", required = true, paramLabel = "DIR|MANIFEST",
            description = "A folder with ir/ and vis/ files matching by name, or a manifest (.csv or .jsonl: id, ir, vis, calibration, output).")
    Path input;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTDIR", description = "Where the fused files and report.json go.")
    Path outDir;
    @Option(names = "--config", paramLabel = "FILE", description = "The same YAML as `ivfuse run` (inputs and outputs come from the pairs).")
    Path configFile;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ArchiveCommand()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IvfuseException) {
                err.println("ivfuse-spark: error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException { // only SparkSession.close() declares it
        BatchConfig config = configFile == null ? BatchConfig.defaults() : BatchConfig.load(configFile);
        List<RecordingPair> pairs = PairListing.read(input, outDir, config.batch().container());
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new IvfuseException("output " + outDir + ": cannot create (" + e.getMessage() + ")", e);
        }
        SparkSession.Builder builder = SparkSession.builder().appName("ivfuse-spark");
        if (master != null) {
            builder.master(master);
        }
        JobReport report;
        try (SparkSession spark = builder.getOrCreate()) {
            report = ArchiveJob.run(spark, pairs, config, outDir);
        }
        PrintWriter err = spec.commandLine().getErr();
        for (PairResult r : report.results) {
            if (!r.succeeded()) {
                err.println("ivfuse-spark: error: pair " + r.id + ": " + r.error);
            }
        }
        spec.commandLine().getOut().printf("%d of %d pairs fused (%d frames, %.1f frames/s over %.1f s, %d retries): %s%n",
                report.ok, report.pairs, report.framesOut, report.fps, report.seconds, report.retries,
                outDir.resolve("report.json"));
        return report.failed == 0 ? 0 : 2;
    }
}
