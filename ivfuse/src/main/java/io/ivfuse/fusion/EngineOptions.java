package io.ivfuse.fusion;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an engine may be configured with. Classical engines read {@code params}; learned engines
 * also take a model file and a thread count.
 *
 * @param model         a model file, or null for the engine's default
 * @param intraOpThreads threads one session may use inside a frame (0 = the engine's default)
 * @param params        engine-specific settings (for example {@code levels} of the Laplacian pyramid)
 */
public record EngineOptions(Path model, int intraOpThreads, Map<String, String> params) {

    public EngineOptions {
        params = Map.copyOf(params);
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0");
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(null, 0, Map.of());
    }

    public int intParam(String key, int fallback) {
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new io.ivfuse.IvfuseException("engine parameter '" + key + "' must be an integer, got '" + v + "'");
        }
    }
}
