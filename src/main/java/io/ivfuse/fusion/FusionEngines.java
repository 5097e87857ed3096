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
                .sorted(Comparator.comparingInt(FusionEngineProvider::rank).reversed()
                        .thenComparing(FusionEngineProvider::name))
                .collect(Collectors.toList());
    }

    public static List<String> names() {
        return providers().stream().map(FusionEngineProvider::name).collect(Collectors.toList());
    }

    /** The provider called {@code name}, or for {@code auto} the best available one that can run with these options. */
    public static FusionEngineProvider provider(String name, EngineOptions options) {
        List<FusionEngineProvider> all = providers();
        if (AUTO.equalsIgnoreCase(name)) {
            FusionEngineProvider best = all.stream().filter(p -> p.isAvailable() && p.canRun(options)).findFirst()
                    .orElseThrow(() -> new IvfuseException("no fusion engine is available"));
            log.info("engine auto: picked '{}' ({})", best.name(), best.description());
            return best;
        }
        for (FusionEngineProvider p : all) {
            if (p.name().equalsIgnoreCase(name)) {
                if (!p.isAvailable()) {
                    throw new IvfuseException("engine '" + p.name() + "' is not available on this machine");
                }
                return p;
            }
        }
        throw new IvfuseException("unknown engine '" + name + "' (available: " + AUTO + ", "
                + String.join(", ", names()) + ")");
    }

    /** Creates the engine {@code name} (or the one {@code auto} picks) after checking that it knows every parameter given. */
    public static FusionEngine create(String name, EngineOptions options) {
        return create(provider(name, options), options);
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
