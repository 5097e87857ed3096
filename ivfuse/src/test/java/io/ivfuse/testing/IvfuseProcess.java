package io.ivfuse.testing;

import io.ivfuse.cli.Main;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The command line of {@code ivfuse} as a process of its own: for signals, exit codes and other class paths. */
public final class IvfuseProcess {
    private IvfuseProcess() {
    }

    /** {@code java -cp <the tests' class path> io.ivfuse.cli.Main args...}. */
    public static List<String> command(String... args) {
        return onClassPath(System.getProperty("java.class.path"), args);
    }

    public static List<String> onClassPath(String classPath, String... args) {
        return onClassPath(classPath, List.of(), args);
    }

    /** {@code java JVM_OPTIONS -cp CLASS_PATH io.ivfuse.cli.Main args...}. */
    public static List<String> onClassPath(String classPath, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** The tests' class path without the jars whose file name starts with {@code jarPrefix}. */
    public static String classPathWithout(String jarPrefix) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).getFileName().toString().startsWith(jarPrefix))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
