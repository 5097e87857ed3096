package io.ivfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngineProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fusion.params: a parameter the engine does not read is refused, naming the engine and the ones it reads. */
class EngineParametersTest {

    private static IvfuseException refused(String engine, Map<String, String> params) {
        return assertThrows(IvfuseException.class, () -> FusionEngines.create(engine, new EngineOptions(null, 0, params)));
    }

    @Test
    void aMisspelledParameterNamesTheKnownOnes() {
        assertEquals("config key 'fusion.params': engine 'laplacian' has no parameter 'levelz' (known: levels, window)",
                refused("laplacian", Map.of("levelz", "3")).getMessage());
        assertEquals("config key 'fusion.params': engine 'laplacian' has no parameters 'a', 'b' (known: levels, window)",
                refused("laplacian", Map.of("b", "1", "a", "2", "levels", "3")).getMessage());
    }

    @Test
    void anEngineWithoutParametersSaysSo() {
        assertEquals("config key 'fusion.params': engine 'max' has no parameter 'levels' (it takes none)",
                refused("max", Map.of("levels", "4")).getMessage());
    }

    @Test
    void theParametersAnEngineReadsAreAccepted() {
        try (FusionEngine engine = FusionEngines.create("laplacian", new EngineOptions(null, 0, Map.of("levels", "3", "window", "5")))) {
            assertEquals("laplacian", engine.name());
        }
    }

    @Test
    void theOnnxEngineReadsProviderAndDevice() {
        assumeTrue(new OnnxRuntimeEngineProvider().isAvailable(), "ONNX Runtime's native library does not load here");
        assertEquals("config key 'fusion.params': engine 'onnxruntime' has no parameter 'gpu' (known: device, provider)",
                refused("onnxruntime", Map.of("gpu", "0")).getMessage());
    }
}
