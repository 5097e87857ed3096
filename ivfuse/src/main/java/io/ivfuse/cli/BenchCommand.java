package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.benchmark.BenchReport;
import io.ivfuse.benchmark.ThroughputBench;
import io.ivfuse.config.ConfigLoader;
import io.ivfuse.config.IvfuseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ivfuse bench}: what this machine does with a recorded pair, stage by stage and end to end (how many cameras it takes). */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure this machine on a recorded IR/visible pair (or, --mode mef, an exposure pair): decode, "
                + "registration, fusion and encode "
                + "frames/s, each alone with the run's own components and threads, then the whole run; the CPU bound "
                + "(the rate if the stages shared the cores perfectly), the efficiency (end to end over the bound) "
                + "and how many camera pairs that makes.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--ir", paramLabel = "FILE", description = "Infrared recording.")
    String ir;
    @Option(names = "--vis", paramLabel = "FILE", description = "Visible recording.")
    String vis;
    @Option(names = "--mode", paramLabel = "MODE", description = "ir-vis (default: --ir + --vis) or mef (--under + --over).")
    String mode;
    @Option(names = "--under", paramLabel = "FILE", description = "--mode mef: the under-exposed recording.")
    String under;
    @Option(names = "--over", paramLabel = "FILE", description = "--mode mef: the over-exposed recording.")
    String over;
    @Option(names = "--engine", paramLabel = "NAME", description = "Fusion engine, as for run (default: auto, the shipped nano model).")
    String engine;
    @Option(names = "--model", paramLabel = "FILE", description = "Model file for learned engines.")
    String model;
    @Option(names = "--calibration", paramLabel = "FILE", description = "IR-to-visible calibration, as for run.")
    String calibration;
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config, as for run; its outputs are replaced by one temporary file.")
    Path configFile;
    @Option(names = "--threads", paramLabel = "N", description = "Fusion threads, as for run.")
    Integer threads;
    @Option(names = "--codec", paramLabel = "NAME", description = "Encoder, as for run.")
    String codec;
    @Option(names = "--preset", paramLabel = "NAME", description = "Encoder preset (libx264/NVENC).")
    String preset;
    @Option(names = "--bitrate", paramLabel = "KBPS", description = "Target bitrate in kbit/s (0 = encoder default).")
    Integer bitrate;
    @Option(names = "--frames", paramLabel = "N", defaultValue = "300",
            description = "Frames timed in each stage (default ${DEFAULT-VALUE}); shorter files are started again, except end to end.")
    int frames;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;
    @Option(names = {"-y", "--overwrite"}, description = "Overwrite an existing --json file.")
    boolean overwrite;

    @Override
    public Integer call() {
        IvfuseConfig c = configFile != null ? ConfigLoader.load(configFile) : new IvfuseConfig();
        runFlags().applyFlags(c);
        ThroughputBench bench = new ThroughputBench(c, frames);
        if (json != null) {
            checkWritable(json);
        }
        BenchReport report = bench.run();
        report.print(spec.commandLine().getOut());
        if (json != null) {
            report.writeJson(json);
        }
        return 0;
    }

    /** The flags bench shares with run, with run's meaning (its ${NAME} substitution included). */
    private RunCommand runFlags() {
        RunCommand run = new RunCommand();
        run.ir = ir;
        run.vis = vis;
        run.mode = mode;
        run.under = under;
        run.over = over;
        run.engine = engine;
        run.model = model;
        run.calibration = calibration;
        run.threads = threads;
        run.codec = codec;
        run.preset = preset;
        run.bitrate = bitrate;
        return run;
    }

    /** Checked before the minutes of measuring: the folder exists, and an existing file is only replaced with -y. */
    private void checkWritable(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IvfuseException("bench JSON " + file + ": directory " + folder + " does not exist");
        }
        if (Files.isDirectory(file) || !Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new IvfuseException("bench JSON " + file + ": cannot be written");
        }
        if (Files.exists(file) && !overwrite) {
            throw new IvfuseException("bench JSON " + file + " already exists (use -y to overwrite)");
        }
    }
}
