package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ivfuse} command line. */
@Command(name = "ivfuse", mixinStandardHelpOptions = true, version = "ivfuse 0.1.0",
        description = "Real-time infrared + visible video fusion.",
        subcommands = {RunCommand.class, DemoCommand.class, EvaluateCommand.class, FuseImagesCommand.class,
                CalibrateCommand.class, ModelsCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs a command line and returns the exit code: 0 ok, 2 bad input or usage, 3 a live input
     * lost for good (after {@code max_reconnects}), 1 internal error.
     */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, printing to the given writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Natives.init();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IvfuseException ie) {
                cmd.getErr().println("ivfuse: error: " + ie.getMessage());
                return ie.exitCode();
            }
            cmd.getErr().println("ivfuse: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("ivfuse: error: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        return cli.execute(args);
    }
}
