package io.ivfuse.cli;

import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse engines}: one line per fusion engine, best rank first: its modes, whether it can run
 * here, and why not (a missing library, a version mismatch, no device) or what it runs with.
 */
@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "List the fusion engines: available here or not, and why (libraries, versions, devices).")
public final class EnginesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<FusionEngineProvider> providers = FusionEngines.providers();
        int width = providers.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        for (FusionEngineProvider p : providers) {
            out.println(line(p, width));
        }
        out.flush();
        return 0;
    }

    static String line(FusionEngineProvider p, int nameWidth) {
        String modes = p.modes().stream().map(FusionMode::label).sorted().collect(Collectors.joining(","));
        boolean available = p.isAvailable();
        String detail = p.availability();
        return String.format("%-" + nameWidth + "s  %-10s %s%s", p.name(), modes, available ? "available" : "not available",
                detail.isEmpty() ? "" : ": " + detail);
    }
}
