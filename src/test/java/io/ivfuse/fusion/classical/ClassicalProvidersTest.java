package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionEngines;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void autoWithoutAModelPicksTheEmbeddedNanoAndFallsBackToTheBestClassicalEngine() {
        // With ONNX Runtime loaded, the embedded default model (nano) makes the learned engine runnable.
        assertEquals("onnxruntime", FusionEngines.provider("auto", EngineOptions.defaults()).name());
        // Where it cannot run, auto takes the best runnable engine after it: laplacian.
        String fallback = FusionEngines.names().stream()
                .map(n -> FusionEngines.provider(n, EngineOptions.defaults()))
                .filter(p -> !p.name().equals("onnxruntime") && p.isAvailable() && p.canRun(EngineOptions.defaults()))
                .max(java.util.Comparator.comparingInt(FusionEngineProvider::rank)).orElseThrow().name();
        assertEquals("laplacian", fallback);
    }

    @Test
    void autoWithAModelPicksTheLearnedEngine() {
        EngineOptions withModel = new EngineOptions(java.nio.file.Path.of("model.onnx"), 0, java.util.Map.of());
        assertEquals("onnxruntime", FusionEngines.provider("auto", withModel).name());
    }
}
