package io.ivfuse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivfuse.IvfuseException;
import java.util.regex.Pattern;

/**
 * One camera pair of a site, as written under {@code pairs:} (or POSTed to /api/pairs): its id and
 * what differs from the defaults. {@code overrides} takes any key of a run config, merged last.
 */
public final class PairEntry {
    /** The id names the pair's metrics (a Prometheus label), threads, URLs and {@code {id}} in paths. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    public String id;
    /** The run config's {@code input:} (ir, vis, live settings...). */
    public JsonNode input;
    /** {@code registration.calibration}. */
    public String calibration;
    /** {@code fusion.engine}. */
    public String engine;
    /** {@code fusion.model}. */
    public String model;
    /** The run config's {@code outputs:} list. */
    public JsonNode outputs;
    public ObjectNode overrides;

    void checkId(String where, String key) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IvfuseException(where + "config key '" + key + ".id' "
                    + (id == null ? "is required" : "must be 1-40 letters, digits, '_' or '-' (it names metrics and URLs), got '" + id + "'"));
        }
    }

    /** The entry's own keys as a run config tree. */
    ObjectNode ownKeys() {
        ObjectNode own = JsonNodeFactory.instance.objectNode();
        if (input != null) {
            own.set("input", input);
        }
        if (calibration != null) {
            own.putObject("registration").put("calibration", calibration);
        }
        if (engine != null || model != null) {
            ObjectNode fusion = own.putObject("fusion");
            if (engine != null) {
                fusion.put("engine", engine);
            }
            if (model != null) {
                fusion.put("model", model);
            }
        }
        if (outputs != null) {
            own.set("outputs", outputs);
        }
        return own;
    }
}
