package io.ivfuse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a run's CSV reporter ({@code metrics.csv_dir}) has written: a view of a run in flight or ended. */
public final class CsvMeters {
    private CsvMeters() {
    }

    /** Frames out so far: the count in the last row of {@code ivfuse.output.frames.csv} (0 before its first row). */
    public static long framesOut(Path csvDir) {
        Path f = csvDir.resolve("ivfuse.output.frames.csv");
        try {
            if (!Files.exists(f)) {
                return 0;
            }
            List<String> rows = Files.readAllLines(f);
            String last = rows.get(rows.size() - 1);
            return last.startsWith("t") ? 0 : Long.parseLong(last.split(",")[1]);
        } catch (IOException | RuntimeException e) {
            return 0; // being written
        }
    }
}
