package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher that {@code mvn package} installs as {@code target/ivfuse} (src/main/sh/ivfuse), run
 * from its source beside an {@code ivfuse.jar} whose manifest names the tests' class path: the
 * tests run before the package phase makes the real jar. The class-data archive is an optimisation
 * the launcher must do without, or with one the JVM refuses, without a word on stderr.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("src", "main", "sh", "ivfuse");
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    @BeforeEach
    void install() throws IOException {
        Path launcher = Files.copy(LAUNCHER, dir.resolve("ivfuse"));
        assertTrue(launcher.toFile().setExecutable(true), "chmod +x " + launcher);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Arrays.stream(
                System.getProperty("java.class.path").split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream out = Files.newOutputStream(dir.resolve("ivfuse.jar"));
             JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole jar
        }
    }

    @Test
    void runsIvfuseWithoutAnArchive() throws Exception {
        assertVersion(dir.resolve("ivfuse"));
    }

    @Test
    void runsIvfuseThroughALinkToIt() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        assertVersion(Files.createSymbolicLink(bin.resolve("ivfuse"), dir.resolve("ivfuse")));
    }

    @Test
    void anArchiveTheJvmRefusesIsDroppedSilently() throws Exception {
        // Made "by this java" after the jar, so the launcher passes it; the JVM cannot read it.
        Path archive = Files.writeString(dir.resolve("ivfuse.jsa"), "not a CDS archive");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60)));
        Files.writeString(dir.resolve("ivfuse.jsa.jdk"), JAVA.toRealPath() + "\n");
        assertVersion(dir.resolve("ivfuse"));
    }

    @Test
    void classicalRunsAndShortCommandsGetC1AloneAndOpenBlasOneThread() throws Exception {
        // A stand-in java that prints what the launcher gave it.
        Path fakeHome = Files.createDirectories(dir.resolve("jdk").resolve("bin")).getParent();
        Path fakeJava = Files.writeString(fakeHome.resolve("bin").resolve("java"),
                "#!/bin/sh\necho \"OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS $*\"\n");
        assertTrue(fakeJava.toFile().setExecutable(true), "chmod +x " + fakeJava);
        String c1 = "-XX:TieredStopAtLevel=1";
        assertTrue(launch(fakeHome, "--help").contains(c1));
        assertTrue(launch(fakeHome, "models", "info", "m.onnx").contains(c1));
        assertTrue(launch(fakeHome, "run", "--ir", "a", "--engine", "average").contains(c1));
        assertTrue(launch(fakeHome, "run", "--engine=laplacian").contains(c1));
        for (String[] tiered : new String[][] {{"run", "--ir", "a"}, {"run", "--engine", "nano"}, {"demo"},
                {"evaluate"}, {"bench", "--engine", "average"}}) {
            String line = launch(fakeHome, tiered);
            assertTrue(!line.contains(c1), line);
        }
        assertTrue(launch(fakeHome, "--help").startsWith("OPENBLAS_NUM_THREADS=1 "));
    }

    /** The line the stand-in java under {@code javaHome} prints for {@code ivfuse ARGS}. */
    private String launch(Path javaHome, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(dir.resolve("ivfuse").toString());
        pb.command().addAll(Arrays.asList(args));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("IVFUSE_JAVA_OPTS");
        pb.environment().remove("OPENBLAS_NUM_THREADS");
        Process p = pb.redirectErrorStream(true).start();
        String line = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "launcher finished");
        return line;
    }

    /** {@code LAUNCHER --version} with this JDK as JAVA_HOME: exit 0, the version, nothing on stderr. */
    private void assertVersion(Path launcher) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("IVFUSE_JAVA_OPTS");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher finished");
        assertEquals(0, p.exitValue(), Files.readString(out) + Files.readString(err));
        assertEquals("ivfuse 0.1.0", Files.readString(out).strip());
        assertEquals("", Files.readString(err));
    }
}
