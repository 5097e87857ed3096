package io.ivfuse.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.IvfuseException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The config's {@code batch:} section, what only the archive job reads.
 *
 * @param segmentSeconds how long a task's share of a recording is (cut at the next visible
 *                       keyframe); 0 = one task per pair
 * @param prerollSeconds how far before its segment a task starts reading, so that pairing at the
 *                       boundary is a whole run's
 * @param container      the fused files' container when the listing names them ({@code mp4}, or
 *                       {@code mkv} for codecs MP4 cannot hold, such as ffv1)
 */
record BatchSettings(double segmentSeconds, double prerollSeconds, String container) implements Serializable {
    static final BatchSettings DEFAULTS = new BatchSettings(60, 2, "mp4");
    private static final List<String> KEYS = List.of("segment_seconds", "preroll_seconds", "container");
    private static final List<String> CONTAINERS = List.of("mp4", "mkv", "mov");

    /** The section as the YAML gives it (null: the defaults); errors start with {@code where} and name the key. */
    static BatchSettings of(JsonNode batch, String where) {
        if (batch == null || batch.isNull()) {
            return DEFAULTS;
        }
        if (!batch.isObject()) {
            throw new IvfuseException(where + "batch: must be a mapping of " + String.join(", ", KEYS));
        }
        for (Map.Entry<String, JsonNode> e : batch.properties()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IvfuseException(where + "batch." + e.getKey() + ": unknown key (known: " + String.join(", ", KEYS) + ")");
            }
        }
        double segment = seconds(batch, "segment_seconds", DEFAULTS.segmentSeconds, where);
        double preroll = seconds(batch, "preroll_seconds", DEFAULTS.prerollSeconds, where);
        String container = batch.has("container") ? batch.get("container").asText().toLowerCase(Locale.ROOT) : DEFAULTS.container;
        if (!CONTAINERS.contains(container)) {
            throw new IvfuseException(where + "batch.container: '" + container + "' is not one of " + String.join(", ", CONTAINERS));
        }
        return new BatchSettings(segment, preroll, container);
    }

    private static double seconds(JsonNode batch, String key, double otherwise, String where) {
        JsonNode v = batch.get(key);
        if (v == null) {
            return otherwise;
        }
        if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            throw new IvfuseException(where + "batch." + key + ": must be a number of seconds >= 0, not '" + v.asText() + "'");
        }
        return v.asDouble();
    }
}
