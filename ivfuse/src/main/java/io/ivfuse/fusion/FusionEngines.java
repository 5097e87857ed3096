package io.ivfuse.fusion;

import io.ivfuse.IvfuseException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Looks engines up by name among the {@link FusionEngineProvider}s on the class path. */
public final class FusionEngines {
    /** The name that picks the best available engine. */
    public static final String AUTO = "auto";

    private static final Logger log = LoggerFactory.getLogger(FusionEngines.class);

    private FusionEngines() {
    }

    /** All providers, best rank first. */
    public static List<FusionEngineProvider> providers() {
        return ServiceLoader.load(FusionEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt((FusionEngineProvider p) -> p.rank()).reversed()
                        .thenComparing(FusionEngineProvider::name))
                .collect(Collectors.toList());
    }

    public static List<String> names() {
        return providers().stream().map(FusionEngineProvider::name).collect(Collectors.toList());
    }

    /** The provider called {@code name} for {@link FusionMode#IR_VIS}, or for {@code auto} the best of that mode. */
    public static FusionEngineProvider provider(String name, EngineOptions options) {
        return provider(name, FusionMode.IR_VIS, options);
    }

    /**
     * The provider called {@code name}, or for {@code auto} the best available one of {@code mode}
     * that can run with these options; an engine of another mode is refused with those that fit.
     */
    public static FusionEngineProvider provider(String name, FusionMode mode, EngineOptions options) {
        List<FusionEngineProvider> all = providers();
        if (AUTO.equalsIgnoreCase(name)) {
            FusionEngineProvider best = all.stream()
                    .filter(p -> p.modes().contains(mode) && p.isAvailable() && p.canRun(options)
                            && p.modes(options).contains(mode))
                    .max(Comparator.comparingInt((FusionEngineProvider p) -> p.rank(mode))
                            .thenComparing(FusionEngineProvider::name, Comparator.reverseOrder()))
                    .orElseThrow(() -> new IvfuseException("no fusion engine of mode " + mode + " is available"));
            log.info("engine auto: picked '{}' ({})", best.name(), best.description());
            return best;
        }
        for (FusionEngineProvider p : all) {
            if (p.name().equalsIgnoreCase(name)) {
                if (!p.modes().contains(mode)) {
                    throw new IvfuseException("engine '" + p.name() + "' does not support mode " + mode + "; "
                            + mode.label().toUpperCase(java.util.Locale.ROOT) + " engines: "
                            + String.join(", ", names(all, mode)));
                }
                if (!p.isAvailable()) {
                    throw new IvfuseException("engine '" + p.name() + "' is not available on this machine: " + p.availability());
                }
                return p;
            }
        }
        throw new IvfuseException("unknown engine '" + name + "' (available: " + AUTO + ", "
                + String.join(", ", names()) + ")");
    }

    /** The names of the engines of {@code mode}, best rank in that mode first. */
    public static List<String> names(FusionMode mode) {
        return names(providers(), mode);
    }

    private static List<String> names(List<FusionEngineProvider> all, FusionMode mode) {
        return all.stream().filter(p -> p.modes().contains(mode))
                .sorted(Comparator.comparingInt((FusionEngineProvider p) -> p.rank(mode)).reversed()
                        .thenComparing(FusionEngineProvider::name))
                .map(FusionEngineProvider::name).collect(Collectors.toList());
    }

    /** Creates the engine {@code name} (or the one {@code auto} picks) after checking that it knows every parameter given. */
    public static FusionEngine create(String name, EngineOptions options) {
        return create(provider(name, options), options);
    }

    /** As {@link #create(String, EngineOptions)}, for an engine of {@code mode}. */
    public static FusionEngine create(String name, FusionMode mode, EngineOptions options) {
        return create(provider(name, mode, options), mode, options);
    }

    /** Creates an engine of {@code provider} for {@code mode} after checking that it knows every parameter given. */
    public static FusionEngine create(FusionEngineProvider provider, FusionMode mode, EngineOptions options) {
        checkParameters(provider, options);
        return provider.create(options, mode);
    }

    /** Creates an engine of {@code provider} after checking that it knows every parameter given. */
    public static FusionEngine create(FusionEngineProvider provider, EngineOptions options) {
        checkParameters(provider, options);
        return provider.create(options);
    }

    /** A parameter the engine does not read is a mistake (a typo, another engine's), never silently ignored. */
    static void checkParameters(FusionEngineProvider provider, EngineOptions options) {
        List<String> unknown = options.params().keySet().stream()
                .filter(k -> !provider.parameters().contains(k)).sorted().collect(Collectors.toList());
        if (unknown.isEmpty()) {
            return;
        }
        String known = provider.parameters().isEmpty() ? "it takes none"
                : "known: " + provider.parameters().stream().sorted().collect(Collectors.joining(", "));
        throw new IvfuseException("config key 'fusion.params': engine '" + provider.name() + "' has no parameter"
                + (unknown.size() > 1 ? "s '" : " '") + String.join("', '", unknown) + "' (" + known + ")");
    }
}
