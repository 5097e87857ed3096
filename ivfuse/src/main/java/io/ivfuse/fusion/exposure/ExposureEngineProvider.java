package io.ivfuse.fusion.exposure;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.OpenCvEngineProvider;
import java.util.Set;

/** Base of the exposure fusion engines' providers: mode {@code mef}; a subclass says how to open a session. */
abstract class ExposureEngineProvider extends OpenCvEngineProvider {

    ExposureEngineProvider(String name, String description, int rank) {
        super(name, description, rank);
    }

    /** The session factory for these options (engine parameters are checked here). */
    abstract ExposureEngine.SessionFactory sessions(EngineOptions options);

    @Override
    public final Set<FusionMode> modes() {
        return Set.of(FusionMode.MEF);
    }

    @Override
    public final FusionEngine create(EngineOptions options) {
        return new ExposureEngine(name(), sessions(options));
    }
}
