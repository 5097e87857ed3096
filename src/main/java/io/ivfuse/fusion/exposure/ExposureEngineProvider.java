package io.ivfuse.fusion.exposure;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionMode;
import java.util.Set;

/** Base of the exposure fusion engines' providers: OpenCV only, so always available; mode {@code mef}. */
abstract class ExposureEngineProvider implements FusionEngineProvider {
    private final String name;
    private final String description;
    private final int rank;

    ExposureEngineProvider(String name, String description, int rank) {
        this.name = name;
        this.description = description;
        this.rank = rank;
    }

    /** The session factory for these options (engine parameters are checked here). */
    abstract ExposureEngine.SessionFactory sessions(EngineOptions options);

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
    public final Set<FusionMode> modes() {
        return Set.of(FusionMode.MEF);
    }

    @Override
    public final boolean isAvailable() {
        return true;
    }

    @Override
    public final FusionEngine create(EngineOptions options) {
        return new ExposureEngine(name, sessions(options));
    }
}
