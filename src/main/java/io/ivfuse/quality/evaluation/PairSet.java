package io.ivfuse.quality.evaluation;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The image pairs of a folder: {@code <dir>/ir} and {@code <dir>/vis}, matched by file name without
 * extension. Names found on one side only are kept in {@link #unmatched()} for the caller to report.
 */
public record PairSet(Path root, List<Pair> pairs, List<String> unmatched) {

    /** One registered pair; {@code name} is the shared file name without extension. */
    public record Pair(String name, Path infrared, Path visible) {
    }

    private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");

    public static PairSet scan(Path root) {
        Path irDir = root.resolve("ir");
        Path visDir = root.resolve("vis");
        for (Path d : List.of(root, irDir, visDir)) {
            if (!Files.isDirectory(d)) {
                throw new IvfuseException("folder not found: " + d + " (pairs are read from <dir>/ir and <dir>/vis)");
            }
        }
        Map<String, Path> ir = images(irDir);
        Map<String, Path> vis = images(visDir);
        List<Pair> pairs = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (var e : ir.entrySet()) {
            Path v = vis.get(e.getKey());
            if (v == null) {
                unmatched.add("ir/" + e.getValue().getFileName());
            } else {
                pairs.add(new Pair(e.getKey(), e.getValue(), v));
            }
        }
        vis.forEach((k, v) -> {
            if (!ir.containsKey(k)) {
                unmatched.add("vis/" + v.getFileName());
            }
        });
        if (pairs.isEmpty()) {
            throw new IvfuseException("no image pairs in " + root + " (no file name is in both ir/ and vis/)");
        }
        return new PairSet(root, List.copyOf(pairs), List.copyOf(unmatched));
    }

    /** Image files of a folder by name without extension, sorted. */
    public static Map<String, Path> images(Path dir) {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(PairSet::isImage).forEach(p -> out.put(stem(p), p));
        } catch (IOException e) {
            throw new IvfuseException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
