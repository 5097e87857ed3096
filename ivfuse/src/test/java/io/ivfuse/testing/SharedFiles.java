package io.ivfuse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The real data of {@code ../shared} (see its README.md) for tests. A user's clone has none and a
 * partial copy lacks some files, so a test names every file it reads: when any is absent the test
 * is skipped with a reason that names the missing ones, instead of failing on the first read.
 */
public final class SharedFiles {
    /** The shared folder beside the project (tests run in the module's folder, ivfuse/, one below the root). */
    public static final Path ROOT = Path.of("..", "..", "shared").toAbsolutePath().normalize();

    private SharedFiles() {
    }

    /** The file or folder at {@code relative} (to {@link #ROOT}); skips the test when it is absent. */
    public static Path require(String relative) {
        return requireAll(List.of(relative)).get(0);
    }

    /** The files at these relative paths, in order; skips the test, naming every absent one, when any is. */
    public static List<Path> requireAll(String... relative) {
        return requireAll(Arrays.asList(relative));
    }

    public static List<Path> requireAll(Collection<String> relative) {
        return requireAll(ROOT, relative);
    }

    /** As {@link #requireAll(Collection)} under another root (for this helper's own test). */
    static List<Path> requireAll(Path root, Collection<String> relative) {
        List<Path> paths = relative.stream().map(root::resolve).collect(Collectors.toList());
        assumeTrue(Files.isDirectory(root), () -> root + " is absent: test skipped (it reads " + relative.size()
                + " file(s) from there)");
        List<String> missing = relative.stream().filter(r -> !Files.exists(root.resolve(r))).collect(Collectors.toList());
        assumeTrue(missing.isEmpty(), () -> root + " lacks " + missing.size() + " of the " + relative.size()
                + " file(s) this test reads: " + String.join(", ", missing.stream().limit(10).toList())
                + (missing.size() > 10 ? ", ..." : "") + ": test skipped");
        return paths;
    }

    /** The file at {@code relative}, or null when absent: for benchmarks that fall back to synthetic data. */
    public static Path find(String relative) {
        Path p = ROOT.resolve(relative);
        return Files.exists(p) ? p : null;
    }

    /** The header of a tab-separated file, comment (#) lines skipped. */
    public static String[] tsvHeader(Path file) {
        return lines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no header")).split("\t");
    }

    /** Tab-separated rows of a file, comment (#) and header lines removed. */
    public static List<String[]> tsv(Path file) {
        return lines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).skip(1)
                .map(l -> l.split("\t")).collect(Collectors.toList());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
