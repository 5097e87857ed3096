package io.ivfuse.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigLoader;
import io.ivfuse.config.IvfuseConfig;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The job's config: the same YAML as {@code ivfuse run} (inputs and outputs come from each pair).
 * It is read and checked once on the driver, with {@code ${NAME}} filled in from the driver's
 * environment, and travels to the tasks as JSON, each task making its own run config from it.
 */
public final class BatchConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runConfigJson;

    private BatchConfig(String runConfigJson) {
        this.runConfigJson = runConfigJson;
    }

    /** The defaults of {@code ivfuse run}. */
    public static BatchConfig defaults() {
        return new BatchConfig("{}");
    }

    public static BatchConfig load(Path file) {
        JsonNode tree = ConfigLoader.read(file, System.getenv(), JsonNode.class);
        if (tree == null) {
            return defaults();
        }
        if (!(tree instanceof ObjectNode)) {
            throw new IvfuseException("config " + file + ": not a mapping of keys");
        }
        BatchConfig config = new BatchConfig(tree.toString());
        config.runConfig("config " + file + ": "); // every error now, on the driver, before any task
        return config;
    }

    /** A fresh run config (a task changes its inputs and outputs); errors start with {@code where}. */
    IvfuseConfig runConfig(String where) {
        try {
            return ConfigLoader.fromTree(JSON.readTree(runConfigJson), where, "");
        } catch (java.io.IOException e) {
            throw new IvfuseException(where + e.getMessage(), e);
        }
    }
}
