package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.util.Redaction;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ivfuse} command line. */
@Command(name = "ivfuse", mixinStandardHelpOptions = true, version = "ivfuse 0.1.0",
        description = "Real-time infrared + visible video fusion.")
public final class Main {
    /** The subcommands, in the order {@code --help} lists them. */
    static final List<Class<?>> COMMANDS = List.of(RunCommand.class, ServeCommand.class, BenchCommand.class, DemoCommand.class,
            EvaluateCommand.class, FuseImagesCommand.class, CalibrateCommand.class, ModelsCommand.class, EnginesCommand.class,
            CommandLine.HelpCommand.class);

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
        if (args.length > 0 && args[0].equals("serve")) {
            // Each pair's threads are named after it (util.ThreadNames): with thread names, every log
            // line of a service says which pair it is about. Before the first logger reads the settings.
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
        }
        Natives.javacpp(); // settings only: each command loads the native libraries it uses
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            OutOfMemoryError oom = outOfMemory(e);
            if (oom != null) {
                return reportOutOfMemory(cmd.getErr(), oom);
            }
            if (e instanceof IvfuseException ie) {
                // Redacted again: a secret from the config may sit in a message that quotes a value.
                cmd.getErr().println("ivfuse: error: " + Redaction.redact(ie.getMessage()));
                return ie.exitCode();
            }
            cmd.getErr().println("ivfuse: internal error: " + Redaction.redact(e.toString()));
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("ivfuse: error: " + e.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // picocli hands Errors on: they reach here, not the handler
            return reportOutOfMemory(err, e);
        }
    }

    /**
     * The command line with the subcommand that {@code args} names, or with all of them (for
     * {@code --help}, {@code help CMD} and a misspelt name, which picocli then suggests a
     * correction for). picocli builds each subcommand's model by reflection when it is added,
     * about 40 ms of a short run for the ones the run does not use (benchmarks/startup.md).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        List<Class<?>> needed = COMMANDS;
        for (Class<?> c : COMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            if (args.length > 0 && args[0].equals(name) && !"help".equals(name)) {
                needed = List.of(c);
            }
        }
        needed.forEach(cli::addSubcommand);
        return cli;
    }

    /** The OutOfMemoryError behind {@code t} (a stage's failure wraps it), or null. */
    private static OutOfMemoryError outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** One line, no stack trace: the JVM's own words say which memory ran out (heap, direct buffers, JavaCPP's limits). */
    private static int reportOutOfMemory(PrintWriter err, OutOfMemoryError e) {
        err.println("ivfuse: internal error: out of memory: " + e.getMessage()
                + " (raise -Xmx, -XX:MaxDirectMemorySize or -Dorg.bytedeco.javacpp.maxPhysicalBytes, or lower pipeline.ring_size)");
        err.flush();
        return 1;
    }
}
