package io.ivfuse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void theShippedReferenceConfigLoadsWithItsDocumentedDefaults() {
        IvfuseConfig c = ConfigLoader.load(Path.of("configs", "default.yaml"));
        IvfuseConfig defaults = new IvfuseConfig();
        assertEquals(defaults.fusion.engine, c.fusion.engine);
        assertEquals(defaults.pipeline.ringSize, c.pipeline.ringSize);
        assertNull(c.pipeline.backpressure, "null: chosen from the inputs (drop-oldest live, block for files)");
        assertEquals(5000, c.input.live.stallTimeoutMs);
        assertEquals(-1, c.input.live.maxReconnects);
        assertEquals(IvfuseConfig.EndPolicy.SHORTEST, c.sync.end);
        assertNull(c.sync.toleranceMs);
        assertEquals(99.0, c.input.gray16.highPercentile);
    }

    @Test
    void theLiveExampleLoads() {
        IvfuseConfig c = ConfigLoader.load(Path.of("configs", "live.yaml"),
                java.util.Map.of("IVFUSE_IR_PASSWORD", "irpw", "IVFUSE_VIS_PASSWORD", "vispw", "IVFUSE_PUBLISH_PASSWORD", "pubpw"));
        assertEquals("rtsp://admin:irpw@camera.local/thermal", c.input.ir.uri);
        assertEquals("200000", c.input.vis.options.get("max_delay"));
        assertEquals(IvfuseConfig.Backpressure.DROP_OLDEST, c.pipeline.backpressure);
        assertEquals(IvfuseConfig.EndPolicy.LONGEST, c.sync.end);
        ConfigValidator.validate(c);
    }

    @Test
    void anUnknownKeyIsNamedWithItsPath(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "fusion:\n  engin: max\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().contains("unknown key 'fusion.engin'"), e.getMessage());
        assertTrue(e.getMessage().contains("engine"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void aBadValueNamesTheKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "pipeline:\n  backpressure: sometimes\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().contains("'pipeline.backpressure'"), e.getMessage());
    }

    @Test
    void validationNamesTheKeyAndTheReason() {
        IvfuseConfig c = new IvfuseConfig();
        c.input.ir = InputSpec.of("a.mp4");
        c.input.vis = InputSpec.of("b.mp4");
        c.output.path = "o.mp4";
        c.pipeline.ringSize = 12;
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c));
        assertEquals("config key 'pipeline.ring_size' must be a power of two >= 2, got 12", e.getMessage());
    }

    @Test
    void anInputIsAStringOrAnObjectWithFfmpegOptions(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), String.join("\n",
                "input:",
                "  ir: rtsp://cam/thermal",
                "  vis:",
                "    uri: rtsp://cam/visible",
                "    transport: udp",
                "    options: {probesize: 32, max_delay: 0}",
                ""));
        IvfuseConfig c = ConfigLoader.load(f);
        assertEquals("rtsp://cam/thermal", c.input.ir.uri);
        assertEquals("rtsp://cam/visible", c.input.vis.uri);
        assertEquals("udp", c.input.vis.transport);
        assertEquals("32", c.input.vis.options.get("probesize"));
        assertEquals("0", c.input.vis.options.get("max_delay"));
    }

    @Test
    void anUnknownInputKeyIsNamed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "input:\n  ir: {url: rtsp://cam/x}\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().contains("unknown key 'input.ir.url'"), e.getMessage());
    }

    @Test
    void environmentVariablesFillInSecrets(@TempDir Path dir) {
        String home = System.getenv("HOME");
        assertEquals("rtsp://admin:" + home + "@cam/x",
                EnvironmentVariables.expand("rtsp://admin:${HOME}@cam/x", "input.ir", System.getenv(), dir));
        assertEquals("literal ${HOME}", EnvironmentVariables.expand("literal $${HOME}", "k", System.getenv(), dir));
        IvfuseException e = assertThrows(IvfuseException.class, () -> EnvironmentVariables.expand(
                "rtsp://admin:${IVFUSE_SURELY_UNSET_VARIABLE}@cam", "input.ir.uri", System.getenv(), dir));
        assertTrue(e.getMessage().contains("key 'input.ir.uri' names environment variable IVFUSE_SURELY_UNSET_VARIABLE"),
                e.getMessage());
    }

    @Test
    void environmentVariablesWorkThroughTheLoader(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "input:\n  ir: {uri: 'rtsp://u:${HOME}@cam/x'}\n");
        assertEquals("rtsp://u:" + System.getenv("HOME") + "@cam/x", ConfigLoader.load(f).input.ir.uri);
    }
}
