package io.ivfuse.archive;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pairs a job fuses, from a folder whose {@code ir/} and {@code vis/} files match by name
 * (without the extension), or from a manifest: CSV with a header, or JSON lines, with the fields
 * {@code id, ir, vis, calibration, output} (the last two optional). Relative paths in a manifest
 * are relative to the manifest's folder; a pair without {@code output} is written as
 * {@code OUTDIR/<id>.mp4}. Every error is one line naming the file (and the line).
 */
public final class PairListing {
    /** Ids become file names: no folders, nothing hidden. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private PairListing() {
    }

    public static List<RecordingPair> read(Path input, Path outDir) {
        return read(input, outDir, BatchSettings.DEFAULTS.container());
    }

    /** As {@link #read(Path, Path)}, pairs without an output written as {@code OUTDIR/<id>.<container>}. */
    public static List<RecordingPair> read(Path input, Path outDir, String container) {
        if (Files.isDirectory(input)) {
            return folder(input, outDir, container);
        }
        if (!Files.isRegularFile(input)) {
            throw new IvfuseException("input " + input + ": no such folder or manifest");
        }
        String name = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".csv")) {
            return manifest(input, outDir, container, new CsvMapper().readerFor(Entry.class)
                    .with(CsvSchema.emptySchema().withHeader().withColumnReordering(true)));
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return manifest(input, outDir, container, new ObjectMapper().readerFor(Entry.class));
        }
        throw new IvfuseException("input " + input + ": a manifest must be .csv or .jsonl (JSON lines)");
    }

    /** A manifest line; unknown columns are an error (a misspelt "calibration" would be lost otherwise). */
    public static final class Entry {
        public String id;
        public String ir;
        public String vis;
        public String calibration;
        public String output;
    }

    private static List<RecordingPair> manifest(Path file, Path outDir, String container, ObjectReader reader) {
        Path base = file.toAbsolutePath().getParent();
        List<RecordingPair> pairs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (MappingIterator<Entry> entries = reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValues(file.toFile())) {
            while (entries.hasNextValue()) {
                int line = entries.getCurrentLocation().getLineNr();
                Entry e = entries.nextValue();
                String where = "manifest " + file + " line " + line + ": ";
                require(e.ir, "ir", where);
                require(e.vis, "vis", where);
                String id = checkedId(e.id, where, ids);
                pairs.add(new RecordingPair(id, resolve(base, e.ir), resolve(base, e.vis),
                        e.calibration == null || e.calibration.isBlank() ? null : resolve(base, e.calibration),
                        e.output == null || e.output.isBlank() ? defaultOutput(outDir, id, container) : resolve(base, e.output)));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IvfuseException ie) {
                throw ie;
            }
            throw new IvfuseException("manifest " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (pairs.isEmpty()) {
            throw new IvfuseException("manifest " + file + ": no pairs");
        }
        return pairs;
    }

    private static List<RecordingPair> folder(Path dir, Path outDir, String container) {
        Map<String, Path> ir = byName(dir.resolve("ir"), dir);
        Map<String, Path> vis = byName(dir.resolve("vis"), dir);
        for (String name : ir.keySet()) {
            if (!vis.containsKey(name)) {
                throw new IvfuseException("input " + dir + ": " + ir.get(name) + " has no visible file of that name in vis/");
            }
        }
        List<RecordingPair> pairs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, Path> v : vis.entrySet()) {
            Path irFile = ir.get(v.getKey());
            if (irFile == null) {
                throw new IvfuseException("input " + dir + ": " + v.getValue() + " has no IR file of that name in ir/");
            }
            String id = checkedId(v.getKey(), "input " + dir + ": ", ids);
            pairs.add(new RecordingPair(id, irFile.toString(), v.getValue().toString(), null, defaultOutput(outDir, id, container)));
        }
        if (pairs.isEmpty()) {
            throw new IvfuseException("input " + dir + ": no recordings in ir/ and vis/");
        }
        return pairs;
    }

    /** The regular files of {@code sub} by name without extension, sorted (the report's order). */
    private static Map<String, Path> byName(Path sub, Path dir) {
        if (!Files.isDirectory(sub)) {
            throw new IvfuseException("input " + dir + ": no " + sub.getFileName() + "/ folder (a folder input holds ir/ and vis/)");
        }
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(sub)) {
            list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(p -> {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                Path clash = files.put(dot > 0 ? name.substring(0, dot) : name, p.toAbsolutePath());
                if (clash != null) {
                    throw new IvfuseException("input " + dir + ": " + clash + " and " + p + " have the same name");
                }
            });
        } catch (IOException e) {
            throw new IvfuseException("input " + sub + ": cannot list (" + e.getMessage() + ")", e);
        }
        return files;
    }

    private static String checkedId(String id, String where, Set<String> seen) {
        require(id, "id", where);
        if (!ID.matcher(id).matches()) {
            throw new IvfuseException(where + "id '" + id + "' is not a plain file name (letters, digits, . _ -)");
        }
        if (!seen.add(id)) {
            throw new IvfuseException(where + "id '" + id + "' is given twice");
        }
        return id;
    }

    private static void require(String value, String field, String where) {
        if (value == null || value.isBlank()) {
            throw new IvfuseException(where + "no '" + field + "'");
        }
    }

    private static String resolve(Path base, String path) {
        return base.resolve(path).toString();
    }

    private static String defaultOutput(Path outDir, String id, String container) {
        return outDir.toAbsolutePath().resolve(id + "." + container).toString();
    }
}
