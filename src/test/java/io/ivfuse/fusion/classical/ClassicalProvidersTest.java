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
    void autoWithoutAModelPicksTheBestClassicalEngine() {
        assertEquals("laplacian", FusionEngines.provider("auto", EngineOptions.defaults()).name());
    }

    @Test
    void autoWithAModelPicksTheLearnedEngine() {
        EngineOptions withModel = new EngineOptions(java.nio.file.Path.of("model.onnx"), 0, java.util.Map.of());
        assertEquals("onnxruntime", FusionEngines.provider("auto", withModel).name());
    }
}
