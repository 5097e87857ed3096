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
        assertEquals(IvfuseConfig.Backpressure.BLOCK, c.pipeline.backpressure);
        assertEquals(IvfuseConfig.EndPolicy.SHORTEST, c.sync.end);
        assertNull(c.sync.toleranceMs);
        assertEquals(99.0, c.input.gray16.highPercentile);
    }

    @Test
    void theLiveExampleLoads() {
        IvfuseConfig c = ConfigLoader.load(Path.of("configs", "live.yaml"));
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
        c.input.ir = "a.mp4";
        c.input.vis = "b.mp4";
        c.output.path = "o.mp4";
        c.pipeline.ringSize = 12;
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c));
        assertEquals("config key 'pipeline.ring_size' must be a power of two >= 2, got 12", e.getMessage());
    }
}
