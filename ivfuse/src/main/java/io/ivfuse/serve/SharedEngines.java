package io.ivfuse.serve;

import com.codahale.metrics.Timer;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.job.FusionJob;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded engine per (engine, model, options) for the whole service, counted by reference:
 * pairs with the same engine and model share its weights (an ONNX model is loaded once), each
 * fusion thread still opening its own session. The last pair to let go closes it.
 */
final class SharedEngines {
    private static final Logger log = LoggerFactory.getLogger(SharedEngines.class);

    /** The mode too: an engine of both modes (onnxruntime) loads another model in each. */
    private record Key(String engine, FusionMode mode, EngineOptions options) {
    }

    private static final class Entry {
        final FusionEngine engine;
        int users;

        Entry(FusionEngine engine) {
            this.engine = engine;
        }
    }

    private final Map<Key, Entry> engines = new HashMap<>();
    private final FusionBudget budget;
    private long loads;

    SharedEngines(FusionBudget budget) {
        this.budget = budget;
    }

    /**
     * Where one pair's runs take their engine, of the pair's {@code mode}: shared, and fusing under
     * the budget (its waits timed into {@code waits}).
     */
    FusionJob.EngineSource forPair(Timer waits, FusionMode mode) {
        return (provider, options) -> lease(provider, mode, options, waits);
    }

    /** Engines loaded now. */
    synchronized int loaded() {
        return engines.size();
    }

    /** Engines loaded since the service started (a model shared by N pairs counts once). */
    synchronized long loads() {
        return loads;
    }

    private synchronized FusionEngine lease(FusionEngineProvider provider, FusionMode mode, EngineOptions options, Timer waits) {
        Key key = new Key(provider.name(), mode, options);
        Entry entry = engines.get(key);
        if (entry == null) {
            entry = new Entry(FusionEngines.create(provider, mode, options));
            engines.put(key, entry);
            loads++;
            log.info("engine '{}' loaded ({} engine(s) loaded)", provider.name(), engines.size());
        }
        entry.users++;
        return new Lease(key, entry, waits);
    }

    private synchronized void release(Key key, Entry entry) {
        if (--entry.users == 0) {
            engines.remove(key);
            entry.engine.close();
            log.info("engine '{}' closed (no pair uses it)", key.engine());
        }
    }

    /** One pair's use of a shared engine; close() lets go of it once. */
    private final class Lease implements FusionEngine {
        private final Key key;
        private final Entry entry;
        private final Timer waits;
        private boolean closed;

        Lease(Key key, Entry entry, Timer waits) {
            this.key = key;
            this.entry = entry;
            this.waits = waits;
        }

        @Override
        public String name() {
            return entry.engine.name();
        }

        @Override
        public FusionSession openSession(int width, int height) {
            return budget.budgeted(entry.engine.openSession(width, height), waits);
        }

        @Override
        public ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
            return budget.budgeted(entry.engine.openExposureSession(width, height, exposures, subsampledChroma), waits);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(key, entry);
            }
        }
    }
}
