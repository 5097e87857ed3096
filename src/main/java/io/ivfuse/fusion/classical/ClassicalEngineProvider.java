package io.ivfuse.fusion.classical;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;

/**
 * Base of the classical engines' providers: pure Java/OpenCV, so always available; a subclass
 * gives its name, rule, rank and how to open a session.
 */
abstract class ClassicalEngineProvider implements FusionEngineProvider {
    private final String name;
    private final String description;
    private final int rank;

    ClassicalEngineProvider(String name, String description, int rank) {
        this.name = name;
        this.description = description;
        this.rank = rank;
    }

    /** The session factory for these options (engine parameters are checked here). */
    abstract ClassicalEngine.SessionFactory sessions(EngineOptions options);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int rank() {
        return rank;
    }

    @Override
    public final boolean isAvailable() {
        return true;
    }

    @Override
    public final FusionEngine create(EngineOptions options) {
        return new ClassicalEngine(name, sessions(options));
    }
}
