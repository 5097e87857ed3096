package io.ivfuse.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in Spark's local mode (one session for the class: local[2,2], so a failed task gets a
 * second attempt; driver on 127.0.0.1, no UI) on the shared M3SVD clips plus a corrupt pair.
 */
class ArchiveJobTest {
    /** Tests run in ivfuse-spark/, one below the repository root, beside which ../shared sits. */
    private static final Path CLIPS = Path.of("..", "..", "shared", "data", "m3svd", "video").toAbsolutePath().normalize();
    private static final List<String> SHARED_PAIRS = List.of("0111_1716", "0113_1714");
    private static final String KILLED = "0111_1716";
    private static final long KILLED_AT_FRAME = 30;

    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().appName("ArchiveJobTest").master("local[2,2]")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void fusesAFolderLikeOneProcessContainsTheCorruptPairAndRetriesAKilledTask(@TempDir Path tmp) throws Exception {
        for (String id : SHARED_PAIRS) {
            assumeTrue(Files.isRegularFile(CLIPS.resolve("ir/" + id + ".mp4")) && Files.isRegularFile(CLIPS.resolve("vis/" + id + ".mp4")),
                    "../shared absent: no M3SVD clip " + id);
        }
        Path in = tmp.resolve("archive");
        Files.createDirectories(in.resolve("ir"));
        Files.createDirectories(in.resolve("vis"));
        for (String id : SHARED_PAIRS) {
            Files.copy(CLIPS.resolve("ir/" + id + ".mp4"), in.resolve("ir/" + id + ".mp4"));
            Files.copy(CLIPS.resolve("vis/" + id + ".mp4"), in.resolve("vis/" + id + ".mp4"));
        }
        // The corrupt pair: a good IR clip, and a visible "recording" of random bytes.
        Files.copy(CLIPS.resolve("ir/0111_1716.mp4"), in.resolve("ir/broken.mp4"));
        byte[] garbage = new byte[64 * 1024];
        new Random(18).nextBytes(garbage);
        Files.write(in.resolve("vis/broken.mp4"), garbage);
        // Segments of 2 s (keyframes every 0.4 s: three segments of the 5 s clip, ten of the 18.7 s one), and a
        // lossless codec, so that the joined file must equal one whole run's pixel for pixel.
        Path config = tmp.resolve("batch.yaml");
        Files.writeString(config, "fusion:\n  engine: laplacian\noutput:\n  codec: ffv1\nbatch:\n  segment_seconds: 2\n"
                + "  container: mkv\n");
        Path out = tmp.resolve("out");
        Files.createDirectories(out);

        // The killed task: the first attempt of the middle segment dies at its frame 30, after writing
        // frames; Spark runs it again.
        TaskFault kill = (segment, attempt, frame) -> {
            if (segment.pair().id().equals(KILLED) && segment.index() == 1 && attempt == 0 && frame == KILLED_AT_FRAME) {
                throw new IllegalStateException("injected: task killed at frame " + frame);
            }
        };
        BatchConfig batch = BatchConfig.load(config);
        long enginesBefore = ExecutorEngines.loads();
        JobReport report = ArchiveJob.run(spark, PairListing.read(in, out, batch.batch().container()), batch, out, kill);
        assertTrue(ExecutorEngines.loads() - enginesBefore <= 1, "one engine for the executor's tasks, loaded "
                + (ExecutorEngines.loads() - enginesBefore) + " times");

        assertEquals(3, report.pairs);
        assertEquals(2, report.ok);
        assertEquals(1, report.failed);
        assertEquals(1, report.retries);
        Map<String, PairResult> byId = report.results.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
        PairResult broken = byId.get("broken");
        assertEquals("failed", broken.status);
        assertEquals(1, broken.attempts, "bad input is not retried");
        assertEquals(1, broken.segments, "an unreadable recording is not cut");
        assertTrue(broken.error.contains("broken.mp4"), "the reason names the file: " + broken.error);
        assertNull(broken.output);
        assertEquals(3, byId.get(KILLED).segments);
        assertEquals(4, byId.get(KILLED).attempts, "three segments, one of them twice");
        assertEquals(10, byId.get("0113_1714").segments, "18.7 s cut every 2 s");
        assertEquals(10, byId.get("0113_1714").attempts);

        // Only the finished files: no attempt's leftovers, nothing for the corrupt pair.
        Set<String> names;
        try (Stream<Path> files = Files.list(out)) {
            names = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(Set.of("0111_1716.json", "0111_1716.mkv", "0113_1714.json", "0113_1714.mkv", "report.json"), names);
        assertEquals(3, new ObjectMapper().readTree(out.resolve(KILLED + ".json").toFile()).get("segments").size());

        JsonNode written = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(2, written.get("ok").asInt());
        assertEquals(report.framesOut, written.get("frames_out").asLong());
        assertEquals(broken.error, written.get("results").get(2).get("error").asText());

        for (String id : SHARED_PAIRS) {
            Path single = tmp.resolve("single-" + id + ".mkv");
            StringWriter console = new StringWriter();
            int rc = Main.execute(new PrintWriter(console), new PrintWriter(console), "run", "--config", config.toString(),
                    "--ir", CLIPS.resolve("ir/" + id + ".mp4").toString(), "--vis", CLIPS.resolve("vis/" + id + ".mp4").toString(),
                    "-o", single.toString(), "--progress", "off", "--metrics-json", tmp.resolve(id + ".summary.json").toString());
            assertEquals(0, rc, console.toString());
            DecodedVideos compared = DecodedVideos.compare(out.resolve(id + ".mkv"), single);
            assertEquals(compared.framesB(), compared.framesA(), id + ": frames of the Spark job vs ivfuse run");
            assertEquals(compared.framesB(), byId.get(id).framesOut, id + ": the report's frame count");
            assertEquals(0, compared.maxDifference(), id + ": largest pixel difference (lossless, so none)");
            JsonNode summary = new ObjectMapper().readTree(tmp.resolve(id + ".summary.json").toFile());
            assertEquals(summary.get("frames_in_visible").asLong(), byId.get(id).framesInVisible, id + ": visible frames in");
            assertEquals(summary.get("frames_in_ir").asLong(), byId.get(id).framesInIr, id + ": IR frames in");
        }
    }
}
