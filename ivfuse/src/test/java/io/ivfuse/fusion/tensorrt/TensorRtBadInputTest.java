package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.onnx.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tensorrt engine refuses before it touches the GPU (the checks run in Java, so here too):
 * each a one-line error naming the key, file or value.
 */
class TensorRtBadInputTest {
    private static final GpuFacts GPU = new GpuFacts(true, null, 13010, 13020, 1, "NVIDIA H200", 9, 0, null, 101501, 101501);

    @TempDir
    Path dir;

    private String refused(Path model, Map<String, String> params) {
        Map<String, String> p = new java.util.HashMap<>(Map.of(TensorRtEngine.CACHE_DIR, dir.resolve("cache").toString()));
        p.putAll(params);
        return assertThrows(IvfuseException.class, () -> TensorRtEngine.open(new EngineOptions(model, 0, p), GPU)).getMessage();
    }

    @Test
    void badParametersAreNamed() {
        assertEquals("engine parameter 'precision' must be fp32 or fp16, got 'int8'", refused(null, Map.of("precision", "int8")));
        assertEquals("engine parameter 'device' must be an integer, got 'gpu0'", refused(null, Map.of("device", "gpu0")));
    }

    @Test
    void anUnwritableCacheFolderIsRefusedBeforeAnyBuild() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        String m = refused(null, Map.of(TensorRtEngine.CACHE_DIR, file.toString()));
        assertEquals("TensorRT engine cache " + file + ": not a folder (set fusion.params cache_dir to a writable folder)", m);
    }

    @Test
    void missingOrConventionlessModelsAreNamed() throws Exception {
        Path missing = dir.resolve("nope.onnx");
        assertEquals("model " + missing + " does not exist", refused(missing, Map.of()));
        Path plain = dir.resolve("plain.onnx");
        TestModels.withoutConvention(plain);
        String m = refused(plain, Map.of());
        assertTrue(m.contains("plain.onnx"), m);
        Path notOnnx = Files.writeString(dir.resolve("text.onnx"), "not a model");
        String n = refused(notOnnx, Map.of());
        assertTrue(n.startsWith("text.onnx is not an ONNX model"), n);
    }
}
