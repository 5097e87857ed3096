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
 * The job's config: the same YAML as {@code ivfuse run} (inputs and outputs come from each pair),
 * plus a {@code batch:} section ({@link BatchSettings}).
 * It is read and checked once on the driver, with {@code ${NAME}} filled in from the driver's
 * environment, and travels to the tasks as JSON, each task making its own run config from it.
 */
public final class BatchConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runConfigJson;
    private final BatchSettings batch;

    private BatchConfig(String runConfigJson, BatchSettings batch) {
        this.runConfigJson = runConfigJson;
        this.batch = batch;
    }

    /** The defaults of {@code ivfuse run} and of the {@code batch:} section. */
    public static BatchConfig defaults() {
        return new BatchConfig("{}", BatchSettings.DEFAULTS);
    }

    public static BatchConfig load(Path file) {
        JsonNode tree = ConfigLoader.read(file, System.getenv(), JsonNode.class);
        if (tree == null) {
            return defaults();
        }
        if (!(tree instanceof ObjectNode)) {
            throw new IvfuseException("config " + file + ": not a mapping of keys");
        }
        // The batch section is the job's own; the rest is checked as `ivfuse run` checks it.
        BatchSettings batch = BatchSettings.of(((ObjectNode) tree).remove("batch"), "config " + file + ": ");
        BatchConfig config = new BatchConfig(tree.toString(), batch);
        config.runConfig("config " + file + ": "); // every error now, on the driver, before any task
        return config;
    }

    BatchSettings batch() {
        return batch;
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
