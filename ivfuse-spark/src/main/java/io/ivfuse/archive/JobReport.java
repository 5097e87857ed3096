package io.ivfuse.archive;

import io.ivfuse.IvfuseException;
import io.ivfuse.util.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The job's {@code report.json}: totals, then every pair in input order (snake_case keys). */
public final class JobReport {
    public int pairs;
    public int ok;
    public int failed;
    /** Task attempts beyond the first, over all segments of all pairs. */
    public int retries;
    public long framesOut;
    /** The job's wall time on the driver (listing, all tasks, the report), and output frames per second of it. */
    public double seconds;
    public double fps;
    public String master;
    public List<PairResult> results;

    static JobReport of(List<PairResult> results, double seconds, String master) {
        JobReport r = new JobReport();
        r.results = results;
        r.pairs = results.size();
        r.ok = (int) results.stream().filter(PairResult::succeeded).count();
        r.failed = r.pairs - r.ok;
        r.retries = results.stream().mapToInt(p -> p.attempts - p.segments).sum();
        r.framesOut = results.stream().mapToLong(p -> p.framesOut).sum();
        r.seconds = seconds;
        r.fps = seconds > 0 ? r.framesOut / seconds : 0;
        r.master = master;
        return r;
    }

    /** Writes {@code dir/report.json}, complete or not at all (a temporary file renamed). */
    void write(Path dir) {
        Path partial = dir.resolve(".report.json.partial");
        JsonFiles.write(partial, this, "report");
        try {
            Files.move(partial, dir.resolve("report.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IvfuseException("report " + dir.resolve("report.json") + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
