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
 * extension ({@link #scan}), or exposure pairs, one folder per scene ({@link #scanExposures}).
 * Names found on one side only are kept in {@link #unmatched()} for the caller to report.
 */
public record PairSet(Path root, List<Pair> pairs, List<String> unmatched) {

    /**
     * One registered pair; {@code name} is the shared file name without extension. An exposure pair
     * holds the under-exposure in the first place and the over-exposure in the second.
     */
    public record Pair(String name, Path infrared, Path visible) {
        public Path under() {
            return infrared;
        }

        public Path over() {
            return visible;
        }
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

    /**
     * Exposure pairs: one folder per scene, {@code <dir>/<name>/A.*} (the darker) and {@code B.*}, or
     * MEFB's layout {@code <dir>/<name>/<name>_A.*} and {@code <name>_B.*}. A folder with neither,
     * or with more than one file for a side, is listed in {@link #unmatched()}.
     */
    public static PairSet scanExposures(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IvfuseException("folder not found: " + root + " (exposure pairs are read from <dir>/<name>/A.* and B.*)");
        }
        List<Pair> pairs = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Path scene : list(root).stream().filter(Files::isDirectory).sorted().toList()) {
            String name = scene.getFileName().toString();
            List<Path> files = list(scene).stream().filter(Files::isRegularFile).filter(PairSet::isImage).sorted().toList();
            List<Path> under = side(files, name, "A");
            List<Path> over = side(files, name, "B");
            if (under.size() == 1 && over.size() == 1) {
                pairs.add(new Pair(name, under.get(0), over.get(0)));
            } else if (under.size() > 1 || over.size() > 1) {
                unmatched.add(name + "/ (more than one image for a side: " + String.join(", ",
                        Stream.concat(under.stream(), over.stream()).map(p -> p.getFileName().toString()).toList()) + ")");
            } else {
                unmatched.add(name + "/ (no A.* + B.* or " + name + "_A.* + " + name + "_B.*)");
            }
        }
        if (pairs.isEmpty()) {
            throw new IvfuseException("no exposure pairs in " + root + " (expected <dir>/<name>/A.* + B.*, or <name>_A.* + <name>_B.*)");
        }
        return new PairSet(root, List.copyOf(pairs), List.copyOf(unmatched));
    }

    /** The files of a scene for one side: {@code A.*} or {@code <name>_A.*}. */
    private static List<Path> side(List<Path> files, String name, String side) {
        return files.stream().filter(p -> stem(p).equals(side) || stem(p).equals(name + "_" + side)).toList();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new IvfuseException("cannot list " + dir + ": " + e.getMessage(), e);
        }
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
