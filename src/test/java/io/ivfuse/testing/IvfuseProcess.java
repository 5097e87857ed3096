package io.ivfuse.testing;

import io.ivfuse.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code ivfuse ARGS} as a separate JVM on the test class path (for kill -9, signals, mounts). */
public final class IvfuseProcess {
    private IvfuseProcess() {
    }

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
