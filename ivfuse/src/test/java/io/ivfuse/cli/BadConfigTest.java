package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.testing.TestVideos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration mistakes through the command line: each is one line naming the key (and, in a
 * file, the line and column), exit 2, no stack trace, and no output left behind.
 */
class BadConfigTest {
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 10, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 10, "ffv1", (i, x, y) -> 200 - 5 * i);
    }

    /** Runs with a config file holding {@code yaml}; returns the result and checks that {@code out} was not left behind. */
    private static Result runWith(String name, String yaml, Path in1, Path in2) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".yaml"), yaml);
        Path out = dir.resolve(name + ".mkv");
        Result r = ivfuse("run", "--config", config.toString(), "--ir", in1.toString(), "--vis", in2.toString(),
                "-o", out.toString(), "--codec", "ffv1", "--progress", "off");
        assertFalse(Files.exists(out), "no output left behind");
        return r;
    }

    /** Exit 2 and exactly this line. */
    private static void assertRefusedWith(Result r, String line) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        assertEquals("ivfuse: error: " + line, r.err().strip());
    }

    @Test
    void aDuplicateKey() throws Exception {
        Result r = runWith("dup", "fusion:\n  engine: max\n  threads: 1\n  engine: average\n", ir, vis);
        assertRefusedWith(r, "config " + dir.resolve("dup.yaml") + ":4:3: duplicate key 'fusion.engine'");
    }

    @Test
    void aYamlSyntaxError() throws Exception {
        Result r = runWith("syntax", "fusion:\n  engine: max\n pipeline: {}\n", ir, vis);
        assertRefusedWith(r, "config " + dir.resolve("syntax.yaml") + ":3:2: not valid YAML: expected <block end>, but found"
                + " '<block mapping start>' (while parsing a block mapping from line 1)");
    }

    @Test
    void anUnknownKeyWithItsPlace() throws Exception {
        Result r = runWith("unknown", "pipeline:\n  ring_size: 16\n  ringsize: 32\n", ir, vis);
        assertTrue(r.err().strip().startsWith("ivfuse: error: config " + dir.resolve("unknown.yaml")
                + ":3:3: unknown key 'pipeline.ringsize' (known here: "), r.err());
        assertEquals(2, r.exit());
    }

    @Test
    void anUnknownEngineParameter() throws Exception {
        Result r = runWith("levelz", "fusion:\n  engine: laplacian\n  params: {levelz: 3}\n", ir, vis);
        assertRefusedWith(r, "config key 'fusion.params': engine 'laplacian' has no parameter 'levelz' (known: levels, window)");
    }

    @Test
    void aRingBeyondAnyMemory() throws Exception {
        Result r = runWith("ring30", "pipeline:\n  ring_size: 1073741824\n", ir, vis);
        assertRefusedWith(r, "config key 'pipeline.ring_size' must be a power of two from 2 to 65536, got 1073741824");
    }

    @Test
    void aRingTooLargeForTheFramesIsRefusedBeforeItIsAllocated() throws Exception {
        // 65,536 slots of 640x480 need 103 GiB: allocating them would end in an OutOfMemoryError (exit 1).
        Path bigVis = TestVideos.write(dir.resolve("vis640.mkv"), 640, 480, 30, 3, "ffv1", TestVideos::gradient);
        Path bigIr = TestVideos.write(dir.resolve("ir640.mkv"), 640, 480, 30, 3, "ffv1", (i, x, y) -> 100);
        Result r = runWith("ring16", "pipeline:\n  ring_size: 65536\n", bigIr, bigVis);
        assertEquals(2, r.exit(), r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("ivfuse: error: config key 'pipeline.ring_size' 65536 is too large for 640x480 frames"
                + " (IR 640x480): 65536 slots of 1.6 MiB need 103.1 GiB, over the "), line);
        assertTrue(line.matches(".*; use \\d+ or less, or raise that limit"), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void runningOutOfMemoryIsOneLineAndExitOne() throws Exception {
        // 640x480 input queues need more than 2 MiB of direct memory: the JVM refuses while the inputs open.
        Path bigVis = TestVideos.write(dir.resolve("oom-vis.mkv"), 640, 480, 30, 3, "ffv1", TestVideos::gradient);
        Path bigIr = TestVideos.write(dir.resolve("oom-ir.mkv"), 640, 480, 30, 3, "ffv1", (i, x, y) -> 100);
        Path log = dir.resolve("oom.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=2m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--ir", bigIr.toString(), "--vis", bigVis.toString(), "-o", dir.resolve("oom.mkv").toString(),
                "--codec", "ffv1", "--engine", "max", "--progress", "off")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), output);
        List<String> errors = output.lines().filter(l -> l.startsWith("ivfuse:") || l.contains("Exception")).toList();
        assertEquals(1, errors.size(), output);
        assertTrue(errors.get(0).startsWith("ivfuse: internal error: out of memory: Cannot reserve "), output);
        assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
        assertFalse(Files.exists(dir.resolve("oom.mkv")));
    }
}
