package io.ivfuse.fusion;

/**
 * Base of the providers of engines that run on OpenCV alone (the classical and the exposure
 * engines), so always available: a subclass gives its name, rule and rank, and creates its engine.
 */
public abstract class OpenCvEngineProvider implements FusionEngineProvider {
    private final String name;
    private final String description;
    private final int rank;

    protected OpenCvEngineProvider(String name, String description, int rank) {
        this.name = name;
        this.description = description;
        this.rank = rank;
    }

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
}
