package io.ivfuse.fusion.classical;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.OpenCvEngineProvider;

/** Base of the classical engines' providers: a subclass says how to open a session. */
abstract class ClassicalEngineProvider extends OpenCvEngineProvider {

    ClassicalEngineProvider(String name, String description, int rank) {
        super(name, description, rank);
    }

    /** The session factory for these options (engine parameters are checked here). */
    abstract ClassicalEngine.SessionFactory sessions(EngineOptions options);

    @Override
    public final FusionEngine create(EngineOptions options) {
        return new ClassicalEngine(name(), sessions(options));
    }
}
