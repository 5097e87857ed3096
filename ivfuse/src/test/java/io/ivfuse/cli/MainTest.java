package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The command line gets only the subcommand it names, and all of them where it names none. */
class MainTest {
    private record Result(int exit, String out, String err) {
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommand() {
        Result r = execute("--help");
        assertEquals(0, r.exit(), r.err());
        for (Class<?> c : Main.COMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            assertTrue(r.out().contains("  " + name + " "), name + " listed in:\n" + r.out());
        }
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertEquals(1, Main.commandLine("run", "--help").getSubcommands().size());
        assertEquals(Main.COMMANDS.size(), Main.commandLine("help", "run").getSubcommands().size());
        Result r = execute("run", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--ir"), r.out());
    }

    @Test
    void helpOfACommandShowsItsUsage() {
        Result r = execute("help", "bench");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Usage: ivfuse bench"), r.out());
    }

    @Test
    void aMisspeltCommandIsAnsweredWithTheNearestName() {
        Result r = execute("runn");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unmatched argument") && r.err().contains("run"), r.err());
    }
}
