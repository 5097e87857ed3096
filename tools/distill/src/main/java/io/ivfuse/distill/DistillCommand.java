package io.ivfuse.distill;

import io.ivfuse.IvfuseException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ivfuse-distill CONFIG}: trains a student as a config says and exports it to ONNX. */
@Command(name = "ivfuse-distill", mixinStandardHelpOptions = true,
        description = "Distil a fusion student from a teacher network (SAGE's pixel, feature and contrastive losses).")
public final class DistillCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "a configs/distill-*.yaml file")
    Path config;

    @Option(names = "--steps", description = "override the config's number of steps")
    Integer steps;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "override the config's output model")
    Path output;

    @Override
    public Integer call() {
        DistillConfig cfg = DistillConfig.load(config);
        if (steps != null) {
            cfg.steps = steps;
        }
        if (output != null) {
            cfg.output = output.toString();
        }
        Trainer.train(cfg, System.out::println);
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DistillCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IvfuseException) {
                cmd.getErr().println("ivfuse-distill: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
