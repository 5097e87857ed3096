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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets off the command line: {@code --ir}, {@code --vis} and {@code -o} take {@code ${NAME}}
 * and {@code ${file:PATH}} (single-quoted in the shell, so {@code ps} shows the reference), and
 * what they bring in is never printed.
 */
class SecretsTest {
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 10, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 10, "ffv1", (i, x, y) -> 200 - 5 * i);
    }

    @Test
    void secretFilesFillTheCommandLinesLocations() throws Exception {
        Path irFile = Files.writeString(dir.resolve("ir-location"), ir + "\n");
        Path outFile = Files.writeString(dir.resolve("out-location"), dir.resolve("from-files.mkv") + "\n");
        Result r = ivfuse("run", "--ir", "${file:" + irFile + "}", "--vis", vis.toString(), "-o", "${file:" + outFile + "}",
                "--engine", "max", "--codec", "ffv1", "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        assertEquals(10, TestVideos.readLuma(dir.resolve("from-files.mkv")).size());
    }

    @Test
    void environmentVariablesFillTheCommandLinesLocations() throws Exception {
        Path out = dir.resolve("from-env.mkv");
        Path log = dir.resolve("env.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--ir", "${IVFUSE_TEST_IR}", "--vis", vis.toString(), "-o", "${IVFUSE_TEST_OUT}",
                "--engine", "max", "--codec", "ffv1", "--progress", "off")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("IVFUSE_TEST_IR", ir.toString());
        pb.environment().put("IVFUSE_TEST_OUT", out.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        assertEquals(10, TestVideos.readLuma(out).size());
    }

    @Test
    void anUnsetVariableOrMissingFileOnTheCommandLineIsNamed() {
        Result r = ivfuse("run", "--ir", ir.toString(), "--vis", "rtsp://admin:${IVFUSE_SURELY_UNSET_PASSWORD}@127.0.0.1/vis",
                "-o", dir.resolve("x.mkv").toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("ivfuse: error: --vis names environment variable IVFUSE_SURELY_UNSET_PASSWORD, which is not set",
                r.err().strip());
        Path missing = dir.resolve("no/such/secret");
        r = ivfuse("run", "--ir", "rtsp://admin:${file:" + missing + "}@127.0.0.1/ir", "--vis", vis.toString(),
                "-o", dir.resolve("x.mkv").toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("ivfuse: error: --ir reads secret file " + missing + ": no such file", r.err().strip());
    }

    @Test
    void aSecretQuotedInAnErrorIsMasked() throws Exception {
        // A secret put where a number belongs: Jackson's message quotes the value.
        Path secret = Files.writeString(dir.resolve("pw"), "Hx5-quoted-secret\n");
        Path config = Files.writeString(dir.resolve("c.yaml"), "pipeline:\n  ring_size: '${file:" + secret + "}'\n");
        Result r = ivfuse("run", "--config", config.toString(), "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", dir.resolve("y.mkv").toString());
        assertEquals(2, r.exit(), r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("ivfuse: error: config " + config + ":2:14: bad value for 'pipeline.ring_size': "), line);
        assertTrue(line.contains("***"), line);
        assertFalse(line.contains("Hx5-quoted-secret"), line);
    }
}
