package io.ivfuse.quality.evaluation;

import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fused images to evaluate, by method and pair name. In a folder, {@code <pair>.<ext>} belongs to
 * the method named after the folder, and {@code <pair>_<method>.<ext>} (VIFB's naming) to that
 * method; files matching no pair are ignored.
 */
public final class FusedSources {
    private final Map<String, Map<String, Path>> byMethod = new LinkedHashMap<>();

    public void addFolder(Path dir, PairSet pairs) {
        if (!Files.isDirectory(dir)) {
            throw new IvfuseException("fused folder not found: " + dir);
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String folderMethod = name == null ? "fused" : name.toString();
        // Longest pair name first, so "walking2" wins over "walking" as a prefix.
        List<String> names = new ArrayList<>(pairs.pairs().stream().map(PairSet.Pair::name).toList());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (var e : PairSet.images(dir).entrySet()) {
            String stem = e.getKey();
            for (String pair : names) {
                if (stem.equals(pair)) {
                    add(folderMethod, pair, e.getValue());
                    break;
                }
                if (stem.startsWith(pair + "_") && stem.length() > pair.length() + 1) {
                    add(stem.substring(pair.length() + 1), pair, e.getValue());
                    break;
                }
            }
        }
    }

    public void add(String method, String pair, Path file) {
        byMethod.computeIfAbsent(method, k -> new TreeMap<>()).put(pair, file);
    }

    /** method -> pair -> file, methods in the order found. */
    public Map<String, Map<String, Path>> byMethod() {
        return byMethod;
    }
}
