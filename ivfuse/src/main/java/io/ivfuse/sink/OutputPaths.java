package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.source.InputKinds;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks every local path a run writes passes before anything is opened, so that a run never
 * destroys a file and fails at start rather than at the end: video files, HLS playlists, PNG and
 * segment folders, and the metrics JSON (network outputs and the preview have no path).
 * <ul>
 *   <li>No output is an input: the same file after following links, or the same device and inode
 *       (a hard link), as {@link Files#isSameFile} decides; no two outputs are the same file.</li>
 *   <li>An existing file (or a PNG folder holding frames) is only overwritten with {@code -y}
 *       ({@code output.overwrite}), as with the FFmpeg command line. Segments never overwrite
 *       (a taken name gets a suffix).</li>
 *   <li>A file's folder must exist and be writable: a missing one is named, not created. Folders
 *       ivfuse fills with names of its own (PNG frames, segments, an HLS playlist's segments) are
 *       created if their parent exists.</li>
 * </ul>
 */
public final class OutputPaths {
    /** How a path is written: a file in an existing folder, a file in a folder ivfuse may create, or a folder of its own. */
    private enum Role { FILE, FILE_IN_OWN_FOLDER, OWN_FOLDER }

    private record Local(String label, Path path, Role role) {
    }

    private OutputPaths() {
    }

    /** Checks the outputs of a run ({@code targets}, as planned from {@code c}) and its metrics JSON. */
    public static void check(IvfuseConfig c, List<OutputTarget> targets) {
        Map<String, Path> inputs = new LinkedHashMap<>();
        addInput(inputs, "IR input", c.input.ir);
        addInput(inputs, "visible input", c.input.vis);
        addInput(inputs, "under input", c.input.under);
        addInput(inputs, "over input", c.input.over);
        addInput(inputs, "bracketed input", c.input.bracketed);
        List<Local> locals = new ArrayList<>();
        for (OutputTarget t : targets) {
            Local l = local(t);
            if (l != null) {
                locals.add(l);
            }
        }
        if (c.metrics.json != null && !c.metrics.json.isBlank()) {
            locals.add(new Local("metrics JSON " + c.metrics.json, Path.of(c.metrics.json), Role.FILE));
        }
        for (int i = 0; i < locals.size(); i++) {
            Local l = locals.get(i);
            notAnInput(l, inputs);
            for (int j = 0; j < i; j++) {
                if (same(l.path, locals.get(j).path)) {
                    throw new IvfuseException(l.label + " and " + locals.get(j).label + " are the same file");
                }
            }
            writable(l);
            if (!c.output.overwrite) {
                notThere(l);
            }
        }
    }

    private static void addInput(Map<String, Path> inputs, String role, InputSpec spec) {
        Path p = spec == null || spec.uri == null ? null : InputKinds.localPath(spec.uri.strip());
        if (p != null && Files.exists(p)) {
            inputs.put(role, p);
        }
    }

    private static Local local(OutputTarget t) {
        Path location = Path.of(t.location());
        if (t.kind() == OutputKinds.FILE) {
            return new Local(t.label(), location, Role.FILE);
        }
        if (t.kind() == OutputKinds.HLS) {
            return new Local(t.label(), location, Role.FILE_IN_OWN_FOLDER);
        }
        if (t.kind() == OutputKinds.PNG) {
            return new Local(t.label(), location, Role.OWN_FOLDER);
        }
        if (t.kind() == OutputKinds.SEGMENTS) {
            return new Local(t.label(), Path.of(OutputKinds.SegmentsKind.pattern(t)).toAbsolutePath().getParent(), Role.OWN_FOLDER);
        }
        return null; // a stream or the preview window
    }

    private static void notAnInput(Local l, Map<String, Path> inputs) {
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            if (Files.exists(l.path) && same(l.path, in.getValue())) {
                throw new IvfuseException(l.label + " is the " + in.getKey() + " " + in.getValue()
                        + " (the same file): writing it would destroy the input");
            }
        }
    }

    /** The same path, or the same existing file (links followed, device and inode compared). */
    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void writable(Local l) {
        Path p = l.path.toAbsolutePath();
        if (l.role == Role.OWN_FOLDER ? Files.exists(p) && !Files.isDirectory(p) : Files.isDirectory(p)) {
            throw new IvfuseException(l.label + (l.role == Role.OWN_FOLDER ? " is not a directory" : " is a directory"));
        }
        // The folder that must be there: a file's own; a folder ivfuse creates needs the one above it.
        Path folder = switch (l.role) {
            case FILE -> p.getParent();
            case FILE_IN_OWN_FOLDER -> Files.isDirectory(p.getParent()) ? p.getParent() : p.getParent().getParent();
            case OWN_FOLDER -> Files.isDirectory(p) ? p : p.getParent();
        };
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IvfuseException(l.label + ": directory " + folder + " does not exist");
        }
        if (!Files.isWritable(folder) || (Files.isRegularFile(p) && !Files.isWritable(p))) {
            throw new IvfuseException(l.label + ": " + (Files.isWritable(folder) ? p : "directory " + folder) + " is not writable");
        }
    }

    private static void notThere(Local l) {
        String hint = " (pass -y to overwrite, or set output.overwrite: true)";
        if (l.role != Role.OWN_FOLDER && Files.isRegularFile(l.path)) {
            throw new IvfuseException(l.label + " already exists" + hint);
        }
        if (l.role == Role.OWN_FOLDER && Files.isDirectory(l.path) && holdsFrames(l.path)) {
            throw new IvfuseException(l.label + " already holds " + PngSequenceWriter.PREFIX + "*.png frames" + hint);
        }
    }

    private static boolean holdsFrames(Path folder) {
        try (DirectoryStream<Path> frames = Files.newDirectoryStream(folder, PngSequenceWriter.PREFIX + "[0-9]*.png")) {
            return frames.iterator().hasNext();
        } catch (IOException e) {
            throw new IvfuseException("cannot list " + folder + " (" + e.getMessage() + ")", e);
        }
    }
}
