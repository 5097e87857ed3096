package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassicalProvidersTest {

    @Test
    void allThreeAreRegisteredAvailableAndDescribed() {
        List<String> names = FusionEngines.names();
        for (String name : List.of("average", "max", "laplacian")) {
            assertTrue(names.contains(name), name + " missing from " + names);
            FusionEngineProvider p = FusionEngines.provider(name, EngineOptions.defaults());
            assertTrue(p.isAvailable(), name);
            assertFalse(p.description().isBlank(), name);
        }
    }

    private static int rank(String name) {
        return FusionEngines.provider(name, EngineOptions.defaults()).rank();
    }

    @Test
    void laplacianOutranksThePixelRules() {
        assertEquals(20, rank("laplacian"));
        assertTrue(rank("laplacian") > rank("average"));
        assertTrue(rank("laplacian") > rank("max"));
        List<String> names = FusionEngines.names();
        assertTrue(names.indexOf("laplacian") < names.indexOf("average"), names.toString());
    }

    @Test
    void autoWithoutAModelPicksTheEmbeddedNano() {
        // With ONNX Runtime loaded, the embedded default model (nano) makes the learned engine runnable.
        assertEquals("onnxruntime", FusionEngines.provider("auto", EngineOptions.defaults()).name());
    }

    @Test
    void autoFallsBackToLaplacianWhereOnnxRuntimeIsMissing(@TempDir Path dir) throws Exception {
        // `ivfuse run --engine auto` as on a platform without ONNX Runtime: its jar left off the class path.
        String classPath = IvfuseProcess.classPathWithout("onnxruntime");
        assertNotEquals(System.getProperty("java.class.path"), classPath, "the tests' class path has ONNX Runtime");
        Path vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 5, "ffv1", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 5, "ffv1", (i, x, y) -> 200 - 5 * i);
        Path json = dir.resolve("summary.json");
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(IvfuseProcess.onClassPath(classPath, "run", "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", dir.resolve("fused.mkv").toString(), "--codec", "ffv1", "--engine", "auto",
                "--metrics-json", json.toString(), "--progress", "off"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ivfuse finished");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertEquals("laplacian", new ObjectMapper().readTree(json.toFile()).get("engine").asText(), output);
        assertTrue(output.contains("engine auto: picked 'laplacian'"), output);
    }

    @Test
    void autoWithAModelPicksTheLearnedEngine() {
        EngineOptions withModel = new EngineOptions(java.nio.file.Path.of("model.onnx"), 0, java.util.Map.of());
        assertEquals("onnxruntime", FusionEngines.provider("auto", withModel).name());
    }
}
