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
 * method; files matching no pair are ignored. A folder holding no such image but subfolders is a
 * folder of methods: {@code <dir>/<method>/<pair>.<ext>}.
 */
public final class FusedSources {
    private final Map<String, Map<String, Path>> byMethod = new LinkedHashMap<>();

    public void addFolder(Path dir, PairSet pairs) {
        if (!Files.isDirectory(dir)) {
            throw new IvfuseException("fused folder not found: " + dir);
        }
        if (!addImages(dir, pairs)) {
            try (var s = Files.list(dir)) {
                for (Path sub : s.filter(Files::isDirectory).sorted().toList()) {
                    addImages(sub, pairs);
                }
            } catch (java.io.IOException e) {
                throw new IvfuseException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Adds the fused images directly in {@code dir}; whether there was any. */
    private boolean addImages(Path dir, PairSet pairs) {
        boolean any = false;
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
                    any = true;
                    break;
                }
                if (stem.startsWith(pair + "_") && stem.length() > pair.length() + 1) {
                    add(stem.substring(pair.length() + 1), pair, e.getValue());
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    public void add(String method, String pair, Path file) {
        byMethod.computeIfAbsent(method, k -> new TreeMap<>()).put(pair, file);
    }

    /** method -> pair -> file, methods in the order found. */
    public Map<String, Map<String, Path>> byMethod() {
        return byMethod;
    }
}
