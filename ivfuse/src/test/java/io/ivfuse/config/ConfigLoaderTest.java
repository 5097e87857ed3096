package io.ivfuse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.util.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void theShippedReferenceConfigLoadsWithItsDocumentedDefaults() {
        IvfuseConfig c = ConfigLoader.load(Path.of("..", "configs", "default.yaml"));
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
        IvfuseConfig c = ConfigLoader.load(Path.of("..", "configs", "live.yaml"),
                Map.of("IVFUSE_IR_PASSWORD", "irpw", "IVFUSE_VIS_PASSWORD", "vispw", "IVFUSE_PUBLISH_PASSWORD", "pubpw"));
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
        assertTrue(e.getMessage().startsWith("config " + f + ":2:3: unknown key 'fusion.engin'"), e.getMessage());
        assertTrue(e.getMessage().contains("engine"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void aBadValueNamesTheKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "pipeline:\n  backpressure: sometimes\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith("config " + f + ":2:17: bad value for 'pipeline.backpressure': "), e.getMessage());
    }

    @Test
    void validationNamesTheKeyAndTheReason() {
        IvfuseConfig c = new IvfuseConfig();
        c.input.ir = InputSpec.of("a.mp4");
        c.input.vis = InputSpec.of("b.mp4");
        c.output.path = "o.mp4";
        c.pipeline.ringSize = 12;
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c));
        assertEquals("config key 'pipeline.ring_size' must be a power of two from 2 to 65536, got 12", e.getMessage());
        c.pipeline.ringSize = 1 << 30;
        e = assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c));
        assertEquals("config key 'pipeline.ring_size' must be a power of two from 2 to 65536, got 1073741824", e.getMessage());
    }

    @Test
    void theDriftWatchIsConfiguredUnderRegistrationCheck(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "input: {ir: a.mp4, vis: b.mp4}\noutput: {path: o.mp4}\n"
                + "registration:\n  check:\n    enabled: true\n    every: 15\n    max_drop: 0.3\n    sustain: 4\n");
        IvfuseConfig c = ConfigLoader.load(f);
        assertTrue(c.registration.check.enabled);
        assertEquals(15, c.registration.check.every);
        assertEquals(0.3, c.registration.check.maxDrop);
        assertEquals(4, c.registration.check.sustain);
        ConfigValidator.validate(c);
        c.registration.check.maxDrop = 1;
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c));
        assertEquals("config key 'registration.check.max_drop' must be between 0 and 1 (exclusive), got 1.0", e.getMessage());
        Path typo = Files.writeString(dir.resolve("t.yaml"), "registration:\n  check:\n    evry: 15\n");
        e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(typo));
        assertTrue(e.getMessage().contains("unknown key 'registration.check.evry'"), e.getMessage());
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
    void environmentVariablesFillInSecrets() {
        Substitution env = new Substitution(Map.of("CAM_PW", "pw1", "CAM_HOST", "cam"));
        assertEquals("rtsp://admin:pw1@cam/x", env.expand("rtsp://admin:${CAM_PW}@${CAM_HOST}/x", () -> "input.ir"));
        assertEquals("literal ${HOME} and ${file:/x}", env.expand("literal $${HOME} and $${file:/x}", () -> "k"));
        IvfuseException e = assertThrows(IvfuseException.class, () -> env.expand(
                "rtsp://admin:${IVFUSE_SURELY_UNSET_VARIABLE}@cam", () -> "key 'input.ir.uri'"));
        assertEquals("key 'input.ir.uri' names environment variable IVFUSE_SURELY_UNSET_VARIABLE, which is not set",
                e.getMessage());
    }

    @Test
    void environmentVariablesWorkThroughTheLoaderForEveryKindOfValue(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), String.join("\n",
                "input:",
                "  ir: {uri: 'rtsp://u:${CAM_PW}@cam/x'}",
                "pipeline:",
                "  ring_size: ${RING}",
                "  backpressure: ${MODE}",
                "outputs:",
                "  - out.mp4",
                "  - uri: srt://h:9000",
                "    options: {passphrase: '${CAM_PW}'}",
                ""));
        IvfuseConfig c = ConfigLoader.load(f, Map.of("CAM_PW", "pw2", "RING", "32", "MODE", "drop-oldest"));
        assertEquals("rtsp://u:pw2@cam/x", c.input.ir.uri);
        assertEquals(32, c.pipeline.ringSize, "substituted before Jackson converts the value");
        assertEquals(IvfuseConfig.Backpressure.DROP_OLDEST, c.pipeline.backpressure);
        assertEquals("pw2", c.outputs.get(1).options.get("passphrase"));
    }

    @Test
    void anUnsetVariableIsNamedWithItsKeyAndPlace(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "outputs:\n  - a.mp4\n  - 'rtsp://u:${PUBLISH_PW}@h/live'\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f, Map.of()));
        assertEquals("config " + f + ":3:5: key 'outputs[1]' names environment variable PUBLISH_PW, which is not set",
                e.getMessage());
    }

    @Test
    void secretsComeFromFilesTrimmedAndAreHiddenFromThenOn(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("ir_password"), "  Zq8-file-secret\n");
        Path f = Files.writeString(dir.resolve("c.yaml"),
                "input:\n  ir: 'rtsp://admin:${file:" + secret + "}@10.0.0.5/thermal'\n");
        IvfuseConfig c = ConfigLoader.load(f, Map.of());
        assertEquals("rtsp://admin:Zq8-file-secret@10.0.0.5/thermal", c.input.ir.uri);
        assertEquals("option passphrase: ***", Redaction.redact("option passphrase: Zq8-file-secret"),
                "a secret read from a file is masked anywhere, not only in a URL's user:password@");
    }

    @Test
    void aMissingOrOversizedSecretFileIsNamedAndItsContentNeverShown(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("run/secrets/cam1");
        Path f = Files.writeString(dir.resolve("c.yaml"), "input:\n  vis: '${file:" + missing + "}'\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f, Map.of()));
        assertEquals("config " + f + ":2:8: key 'input.vis' reads secret file " + missing + ": no such file", e.getMessage());

        Path big = Files.writeString(dir.resolve("big"), "Kp4-not-a-secret ".repeat(5000));
        Path g = Files.writeString(dir.resolve("g.yaml"), "input:\n  vis: '${file:" + big + "}'\n");
        IvfuseException tooBig = assertThrows(IvfuseException.class, () -> ConfigLoader.load(g, Map.of()));
        assertEquals("config " + g + ":2:8: key 'input.vis' reads secret file " + big + ": it is over 64 KiB, not a secret",
                tooBig.getMessage());

        IvfuseException folder = assertThrows(IvfuseException.class, () -> new Substitution(Map.of())
                .expand("${file:" + dir + "}", () -> "--ir"));
        assertEquals("--ir reads secret file " + dir + ": it is a directory", folder.getMessage());
    }

    @Test
    void variablesNamedLikeSecretsAreHiddenOthersAreNot() {
        Substitution env = new Substitution(Map.of("IVFUSE_CAM_PASSWORD", "Vb7-env-secret", "CAM_HOST", "Hn3-camera-host"));
        env.expand("rtsp://u:${IVFUSE_CAM_PASSWORD}@${CAM_HOST}/x", () -> "--ir");
        assertEquals("key=*** host=Hn3-camera-host", Redaction.redact("key=Vb7-env-secret host=Hn3-camera-host"));
    }

    @Test
    void aDuplicateKeyIsAnErrorAtItsSecondPlace(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "fusion:\n  engine: max\n  threads: 2\n  engine: laplacian\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertEquals("config " + f + ":4:3: duplicate key 'fusion.engine'", e.getMessage());

        Path g = Files.writeString(dir.resolve("g.yaml"), "outputs:\n  - a.mp4\n  - {uri: b.mp4, id: x, uri: c.mp4}\n");
        IvfuseException inList = assertThrows(IvfuseException.class, () -> ConfigLoader.load(g));
        assertEquals("config " + g + ":3:25: duplicate key 'outputs[1].uri'", inList.getMessage());
    }

    @Test
    void yamlSyntaxErrorsGiveTheLineAndColumnOfTheProblem(@TempDir Path dir) throws Exception {
        Path tab = Files.writeString(dir.resolve("tab.yaml"), "fusion:\n\tengine: max\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(tab));
        assertTrue(e.getMessage().startsWith("config " + tab + ":2:1: not valid YAML: found character '\\t(TAB)'"),
                e.getMessage());
        Path colon = Files.writeString(dir.resolve("colon.yaml"), "output:\n  path: a: b\n");
        e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(colon));
        assertEquals("config " + colon + ":2:10: not valid YAML: mapping values are not allowed here", e.getMessage());
        Path unclosed = Files.writeString(dir.resolve("unclosed.yaml"), "fusion: {engine: max\npipeline: {}\n");
        e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(unclosed));
        assertTrue(e.getMessage().startsWith("config " + unclosed + ":2:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(while parsing a flow mapping from line 1)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeIsLocated(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "pipeline:\n  max_frames: 10\n  ring_size: many\n");
        IvfuseException e = assertThrows(IvfuseException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith("config " + f + ":3:14: bad value for 'pipeline.ring_size': "), e.getMessage());
    }

    @Test
    void anEmptyFileIsTheDefaults(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "# nothing set\n");
        assertEquals(new IvfuseConfig().pipeline.ringSize, ConfigLoader.load(f).pipeline.ringSize);
    }
}
