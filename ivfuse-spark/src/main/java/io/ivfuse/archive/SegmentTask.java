package io.ivfuse.archive;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.FusionJob;
import io.ivfuse.metrics.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Fuses one segment of a pair (or a whole pair) inside a Spark task, with {@link FusionJob} exactly
 * as {@code ivfuse run --start --until} does, its engine shared by the executor's tasks
 * ({@link ExecutorEngines}). The fused file and its sidecar (the run summary: frames, timings) are written
 * under hidden names of this attempt and renamed when complete, so an attempt that dies leaves
 * nothing under the final names and a retry starts clean: no duplicate or missing frames.
 *
 * <p>ivfuse's own one-line errors (a corrupt or truncated input, a missing calibration) are final:
 * the pair fails with that reason in the report and the job goes on. Anything else (a crash, a
 * killed task) is thrown while Spark has attempts left, so that Spark retries it.
 */
final class SegmentTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final BatchConfig config;
    private final int maxAttempts;
    private final TaskFault fault;

    SegmentTask(BatchConfig config, int maxAttempts, TaskFault fault) {
        this.config = config;
        this.maxAttempts = maxAttempts;
        this.fault = fault;
    }

    SegmentResult run(Segment segment) {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        Attempt files = new Attempt(segment.file(), attempt);
        try {
            IvfuseConfig c = runConfig(segment, files.video, task);
            Files.createDirectories(files.output.toAbsolutePath().getParent());
            files.deleteStale();
            FusionJob job = new FusionJob(c, new PrintWriter(new StringWriter())).engines(ExecutorEngines::lease);
            long[] frame = {0};
            job.frameListener(e -> fault.atFrame(segment, attempt, frame[0]++));
            RunSummary summary = job.run();
            summary.writeJson(files.summary);
            files.publish();
            return SegmentResult.ok(segment, attempt + 1, summary);
        } catch (IOException e) {
            return failed(segment, attempt, files, new UncheckedIOException(e.getMessage(), e));
        } catch (RuntimeException e) {
            return failed(segment, attempt, files, e);
        } catch (Error e) { // OutOfMemoryError too: Spark may retry it on a fresh executor
            return failed(segment, attempt, files, e);
        }
    }

    /** The segment's failure in the report, or, while Spark has attempts left and another may succeed, thrown for a retry. */
    private <T extends Throwable> SegmentResult failed(Segment segment, int attempt, Attempt files, T e) throws T {
        files.deleteOwn();
        if (retryable(e) && attempt + 1 < maxAttempts) {
            throw e;
        }
        return SegmentResult.failed(segment, attempt + 1, oneLine(e));
    }

    /** The job's config with this segment's inputs, window, calibration and output (the config's own outputs are replaced). */
    private IvfuseConfig runConfig(Segment segment, Path output, TaskContext task) {
        RecordingPair pair = segment.pair();
        IvfuseConfig c = config.runConfig("pair " + pair.id() + ": config: ");
        c.input.startSeconds = segment.startUs() == null ? null : segment.startUs() / 1e6;
        c.input.endSeconds = segment.endUs() == null ? null : segment.endUs() / 1e6;
        c.input.prerollSeconds = config.batch().prerollSeconds();
        c.input.ir = InputSpec.of(pair.ir());
        c.input.vis = InputSpec.of(pair.vis());
        if (pair.calibration() != null) {
            c.registration.calibration = pair.calibration();
        }
        c.output.path = null;
        c.output.sideBySide = null;
        c.output.display = false;
        c.output.overwrite = true; // this attempt's own hidden file
        c.outputs = new ArrayList<>(List.of(IvfuseConfig.OutputEntry.of(output.toString())));
        c.metrics.json = null;
        c.metrics.progress = "off";
        // GPU scheduling (spark.task.resource.gpu.amount): the GPU Spark gave this task, for the
        // CUDA/TensorRT engines' device parameter. Spark gives none in local mode.
        ResourceInformation gpu = task == null ? null : task.resourcesJMap().get("gpu");
        if (gpu != null && gpu.addresses().length > 0) {
            c.fusion.params.putIfAbsent("device", gpu.addresses()[0]);
        }
        return c;
    }

    /** Anything but ivfuse's own errors about the input or config, which another attempt would only repeat. */
    static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Error || (t instanceof RuntimeException && !(t instanceof IvfuseException))) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String message = e instanceof IvfuseException ? e.getMessage() : e.toString();
        return message == null ? e.getClass().getName() : message.lines().findFirst().orElse("");
    }

    /**
     * One attempt's files: {@code .<name>.attempt-N.<ext>} and its summary beside the final
     * {@code <name>.<ext>} and {@code <name>.json} (same folder, so the rename is atomic).
     */
    private static final class Attempt {
        final Path output;
        final Path sidecar;
        final Path video;
        final Path summary;
        private final String stem;

        Attempt(Path output, int attempt) {
            this.output = output;
            String name = output.getFileName().toString();
            int dot = name.lastIndexOf('.');
            stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            sidecar = output.resolveSibling(stem + ".json");
            video = output.resolveSibling("." + stem + ".attempt-" + attempt + ext);
            summary = output.resolveSibling("." + stem + ".attempt-" + attempt + ".json");
        }

        void publish() throws IOException {
            Files.move(video, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(summary, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        /**
         * What earlier attempts of this pair left when their executor died. (Speculative execution,
         * off by default, would run two attempts at once: leave spark.speculation off for this job.)
         */
        void deleteStale() throws IOException {
            Path dir = output.toAbsolutePath().getParent();
            try (var files = Files.newDirectoryStream(dir, "." + stem + ".attempt-*")) {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
            }
        }

        void deleteOwn() {
            try {
                Files.deleteIfExists(video);
                Files.deleteIfExists(summary);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the partial output " + video, e);
            }
        }
    }
}
