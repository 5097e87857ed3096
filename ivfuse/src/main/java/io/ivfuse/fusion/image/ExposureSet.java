package io.ivfuse.fusion.image;

import io.ivfuse.IvfuseException;
import io.ivfuse.quality.evaluation.PairSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The exposure pairs of a folder, one sub-folder per scene: {@code <dir>/<name>/A.*} and
 * {@code B.*}, or MEFB's {@code <dir>/<name>/<name>_A.*} and {@code <name>_B.*}; A is the darker
 * (under-exposed) one. Sub-folders with neither layout are kept in {@link #unmatched()} for the
 * caller to report.
 */
public record ExposureSet(Path root, List<Bracket> brackets, List<String> unmatched) {

    /** One scene's exposures, darkest first as the layout says (A, B). */
    public record Bracket(String name, List<Path> exposures) {
    }

    public static ExposureSet scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IvfuseException("folder not found: " + root
                    + " (exposure pairs are read from <dir>/<name>/A.* and B.*, or <name>_A.* and <name>_B.*)");
        }
        List<Bracket> brackets = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Path scene : sceneFolders(root)) {
            String name = scene.getFileName().toString();
            Map<String, Path> images = PairSet.images(scene);
            Path a = either(images, "A", name + "_A");
            Path b = either(images, "B", name + "_B");
            if (a != null && b != null) {
                brackets.add(new Bracket(name, List.of(a, b)));
            } else if (!images.isEmpty()) {
                unmatched.add(name + "/ (no " + (a == null ? "A" : "B") + " exposure: expected A.* and B.*, or "
                        + name + "_A.* and " + name + "_B.*)");
            }
        }
        if (brackets.isEmpty()) {
            throw new IvfuseException("no exposure pairs in " + root
                    + " (expected <name>/A.* and <name>/B.*, or <name>/<name>_A.* and <name>/<name>_B.*)");
        }
        return new ExposureSet(root, List.copyOf(brackets), List.copyOf(unmatched));
    }

    private static Path either(Map<String, Path> images, String plain, String mefb) {
        Path p = images.get(plain);
        return p != null ? p : images.get(mefb);
    }

    private static List<Path> sceneFolders(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new IvfuseException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }
}
