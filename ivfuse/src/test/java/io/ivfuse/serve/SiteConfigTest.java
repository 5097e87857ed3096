package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site file: pairs merged over the defaults, and every mistake named by its key. */
class SiteConfigTest {
    @TempDir
    Path dir;

    private Path site(String yaml) throws Exception {
        return Files.writeString(dir.resolve("site.yaml"), yaml);
    }

    @Test
    void pairsAreMergedOverTheDefaults() throws Exception {
        Path f = site("""
                serve: {fusion_threads: 3}
                defaults:
                  fusion: {engine: average, params: {}}
                  input: {live: {stall_timeout_ms: 1500}}
                  output: {codec: mpeg4}
                  outputs: ["out/{id}.mkv"]
                pairs:
                  - id: gate-1
                    input: {ir: rtsp://cam1/ir, vis: rtsp://cam1/vis}
                    calibration: gate-1.yaml
                  - id: gate_2
                    input: {ir: rtsp://cam2/ir, vis: "rtsp://u:${CAM_PASS}@cam2/vis"}
                    engine: laplacian
                    overrides: {output: {bitrate_kbps: 900}, input: {live: {timeout_ms: 900}}}
                """);
        SiteConfig s = SiteConfig.load(f, Map.of("CAM_PASS", "s3cret-pass"));
        List<PairSpec> specs = s.specs("");
        assertEquals(3, s.serve.fusionThreads);
        IvfuseConfig a = specs.get(0).config();
        IvfuseConfig b = specs.get(1).config();
        assertEquals("average", a.fusion.engine);
        assertEquals("laplacian", b.fusion.engine);
        assertEquals("gate-1.yaml", a.registration.calibration);
        assertEquals("out/gate-1.mkv", a.outputs.get(0).uri);
        assertEquals("out/gate_2.mkv", b.outputs.get(0).uri);
        assertEquals(1500, a.input.live.stallTimeoutMs);
        assertEquals(1500, b.input.live.stallTimeoutMs, "objects merge key by key");
        assertEquals(900, b.input.live.timeoutMs);
        assertEquals(5000, a.input.live.timeoutMs);
        assertEquals(900, b.output.bitrateKbps);
        assertEquals("mpeg4", b.output.codec);
        assertEquals("rtsp://u:s3cret-pass@cam2/vis", b.input.vis.uri, "${ENV} substitution as in run configs");
        assertNotEquals(specs.get(0).tree(), specs.get(1).tree());
        IvfuseConfig run = specs.get(0).newConfig(2);
        assertEquals(IvfuseConfig.Backpressure.DROP_OLDEST, run.pipeline.backpressure);
        assertEquals(2, run.fusion.threads);
        assertTrue(!run.metrics.jmx);
    }

    @Test
    void unknownKeysAndDuplicateIdsAreErrorsNamingTheKey() throws Exception {
        assertMessage("pairs:\n  - {id: a, engin: average}\n", "unknown key 'pairs[0].engin'");
        assertMessage("pairs:\n  - {id: a}\n  - {id: a}\n", "'pairs[1].id': duplicate id 'a'");
        assertMessage("pairs:\n  - {id: a, overrides: {fusion: {engien: x}}}\n", "unknown key 'pairs[0].fusion.engien'");
        assertMessage("defaults: {inptu: {}}\npairs:\n  - {id: a}\n", "unknown key 'pairs[0].inptu'");
        assertMessage("serve: {fusion_thread: 2}\n", "unknown key 'serve.fusion_thread'");
        assertMessage("pairs:\n  - {id: 'a b'}\n", "'pairs[0].id' must be 1-40 letters");
        assertMessage("pairs:\n  - {engine: average}\n", "'pairs[0].id' is required");
        assertMessage("pairs:\n  - {id: a, input: {ir_offset_ms: soon}}\n", "'pairs[0].input.ir_offset_ms'");
    }

    private void assertMessage(String yaml, String part) throws Exception {
        Path f = site(yaml);
        IvfuseException e = assertThrows(IvfuseException.class, () -> SiteConfig.load(f, Map.of()));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("config " + f), e.getMessage());
        assertEquals(2, e.exitCode());
    }
}
