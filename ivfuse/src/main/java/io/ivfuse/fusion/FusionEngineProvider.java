package io.ivfuse.fusion;

import java.util.Set;

/**
 * Finds and creates one kind of fusion engine. Providers are discovered with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services}), so an engine that needs an
 * optional native library (ONNX Runtime, TensorRT) can live beside the others and simply report
 * itself unavailable when that library is missing.
 */
public interface FusionEngineProvider {

    /** The name users pass to {@code --engine}, lower case. */
    String name();

    /** One line: the fusion rule or model the engine applies. */
    String description();

    /**
     * Preference for {@code --engine auto}: the available provider of the run's mode with the
     * highest rank wins.
     */
    int rank();

    /** The preference for {@code --engine auto} in {@code mode}; by default {@link #rank()}. */
    default int rank(FusionMode mode) {
        return rank();
    }

    /**
     * Whether fusing takes most of a frame's CPU time (a learned network: tens of ms a frame), so
     * the thread plan gives fusion the cores; classical rules (well under a millisecond) are not.
     */
    default boolean heavy() {
        return false;
    }

    /** The fusion modes the engine's sessions implement; by default infrared + visible only. */
    default Set<FusionMode> modes() {
        return Set.of(FusionMode.IR_VIS);
    }

    /**
     * The modes the engine implements with these options: a learned engine's are its model's
     * (the model file's declared mode, or the modes it embeds a default model for). By default
     * {@link #modes()}.
     */
    default Set<FusionMode> modes(EngineOptions options) {
        return modes();
    }

    /** Whether this engine can run here. Never throws: a missing native library means false. */
    boolean isAvailable();

    /**
     * One line for {@code ivfuse engines}: why the engine cannot run here (a missing library, a
     * version mismatch, no device), or the versions it runs with. Never throws.
     */
    default String availability() {
        return isAvailable() ? "" : "its native library does not load";
    }

    /**
     * Whether this engine can run with these options (a learned engine needs a model). Used by
     * {@code --engine auto}; by default true.
     */
    default boolean canRun(EngineOptions options) {
        return true;
    }

    /**
     * The engine parameters ({@code fusion.params}) this engine reads; any other is refused, with
     * these named, before {@link #create} is called. By default none.
     */
    default Set<String> parameters() {
        return Set.of();
    }

    /** Creates the engine; throws {@link io.ivfuse.IvfuseException} for bad options (a missing model, say). */
    FusionEngine create(EngineOptions options);

    /** Creates the engine for {@code mode} (a learned engine picks its default model by mode); by default {@link #create(EngineOptions)}. */
    default FusionEngine create(EngineOptions options, FusionMode mode) {
        return create(options);
    }
}
