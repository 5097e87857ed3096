package io.ivfuse.archive;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One task's share of a pair: the visible frames from {@code startUs} (null: the first) to before
 * {@code endUs} (null: the last), fused into {@link #file()}. A pair of {@code count} 1 is fused
 * whole, straight into its output.
 */
record Segment(RecordingPair pair, int index, int count, Long startUs, Long endUs) implements Serializable {

    /** The pair cut at {@code cuts} (visible keyframe times, ascending): one segment more than cuts. */
    static List<Segment> of(RecordingPair pair, List<Long> cuts) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i <= cuts.size(); i++) {
            segments.add(new Segment(pair, i, cuts.size() + 1, i == 0 ? null : cuts.get(i - 1), i == cuts.size() ? null : cuts.get(i)));
        }
        return segments;
    }

    /** Where this segment's fused frames go: the pair's output, or a numbered file in the pair's hidden segment folder. */
    Path file() {
        Path output = Path.of(pair.output());
        if (count == 1) {
            return output;
        }
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return folder().resolve(String.format(Locale.ROOT, "%05d%s", index, dot > 0 ? name.substring(dot) : ""));
    }

    /** The hidden folder of the pair's segment files, beside its output (removed once they are joined). */
    Path folder() {
        Path output = Path.of(pair.output());
        return output.resolveSibling("." + output.getFileName() + ".segments");
    }

    /** "segment 2 of 5 (60.0-120.0 s)", for messages; "" for a whole pair. */
    String label() {
        if (count == 1) {
            return "";
        }
        return String.format(Locale.ROOT, "segment %d of %d (%s-%s s)", index + 1, count,
                startUs == null ? "start" : String.format(Locale.ROOT, "%.3f", startUs / 1e6),
                endUs == null ? "end" : String.format(Locale.ROOT, "%.3f", endUs / 1e6));
    }
}
