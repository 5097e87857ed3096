package io.ivfuse.quality;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Locates ../shared for tests; they skip with a reason when it is absent. */
final class SharedData {
    static final Path ROOT = Path.of("..", "shared");

    private SharedData() {
    }

    static Path require(String relative) {
        Path p = ROOT.resolve(relative);
        assumeTrue(Files.exists(p), "../shared absent: " + p + " not found, golden checks skipped");
        return p;
    }

    /** Tab-separated rows of a file, comment (#) and header lines removed. */
    static List<String[]> tsv(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).skip(1)
                    .map(l -> l.split("\t")).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
