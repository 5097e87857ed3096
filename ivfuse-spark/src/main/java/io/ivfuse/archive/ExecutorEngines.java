package io.ivfuse.archive;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines of one executor JVM: loaded by its first task that needs one (a model read, an ONNX
 * Runtime session built) and kept for the tasks after it, until the JVM ends. Each task still opens
 * its own sessions, one per fusion thread, and closes them; only the engine is shared, as
 * {@code ivfuse serve} shares one between pairs.
 */
final class ExecutorEngines {
    private static final Logger log = LoggerFactory.getLogger(ExecutorEngines.class);
    private static final Map<Key, FusionEngine> ENGINES = new HashMap<>();
    private static long loads;

    private record Key(String engine, EngineOptions options) {
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorEngines::closeAll, "ivfuse-engines-close"));
    }

    private ExecutorEngines() {
    }

    /** A task's use of the executor's engine for {@code provider} and {@code options}; its close() leaves the engine loaded. */
    static synchronized FusionEngine lease(FusionEngineProvider provider, EngineOptions options) {
        FusionEngine engine = ENGINES.computeIfAbsent(new Key(provider.name(), options), k -> {
            loads++;
            log.info("engine '{}' loaded for this executor's tasks", provider.name());
            return FusionEngines.create(provider, options);
        });
        return new Kept(engine);
    }

    /** Engines loaded in this JVM since it started (tests: one per engine and options, however many tasks ran). */
    static synchronized long loads() {
        return loads;
    }

    static synchronized void closeAll() {
        ENGINES.values().forEach(FusionEngine::close);
        ENGINES.clear();
    }

    /** The shared engine under a task's name for it: sessions pass through, close() does not. */
    private record Kept(FusionEngine engine) implements FusionEngine {
        @Override
        public String name() {
            return engine.name();
        }

        @Override
        public FusionSession openSession(int width, int height) {
            return engine.openSession(width, height);
        }

        @Override
        public ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
            return engine.openExposureSession(width, height, exposures, subsampledChroma);
        }

        @Override
        public void close() {
        }
    }
}
