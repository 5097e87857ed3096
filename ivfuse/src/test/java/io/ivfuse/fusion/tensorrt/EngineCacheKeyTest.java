package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EngineCacheKeyTest {
    static final EngineCacheKey BASE = new EngineCacheKey("nano.onnx", "ab".repeat(32), 101501, 13010, 13000,
            "NVIDIA H200", 9, 0, Precision.FP32, Profile.forStream(640, 480, 8));

    private static EngineCacheKey with(UnaryOperator<Object[]> change) {
        Object[] c = {BASE.modelName(), BASE.modelSha256(), BASE.tensorrtVersion(), BASE.cudaRuntime(), BASE.cudaDriver(),
            BASE.gpuName(), BASE.computeMajor(), BASE.computeMinor(), BASE.precision(), BASE.profile()};
        c = change.apply(c);
        return new EngineCacheKey((String) c[0], (String) c[1], (int) c[2], (int) c[3], (int) c[4], (String) c[5], (int) c[6],
                (int) c[7], (Precision) c[8], (Profile) c[9]);
    }

    private static UnaryOperator<Object[]> set(int index, Object value) {
        return c -> {
            c[index] = value;
            return c;
        };
    }

    @Test
    void everyComponentChangesTheFileName() {
        List<EngineCacheKey> keys = List.of(BASE,
                with(set(1, "cd".repeat(32))),                       // model content
                with(set(2, 101500)),                                // TensorRT version
                with(set(3, 13000)),                                 // CUDA runtime
                with(set(4, 13010)),                                 // driver
                with(set(5, "NVIDIA A100")),                         // GPU
                with(set(6, 8)),                                     // compute capability
                with(set(7, 6)),
                with(set(8, Precision.FP16)),                        // precision
                with(set(9, Profile.forStream(1920, 1088, 8))),      // profile opt/max
                with(set(9, new Profile(16, 16, 640, 480, 640, 480)))); // profile min
        Set<String> names = keys.stream().map(EngineCacheKey::fileName).collect(Collectors.toSet());
        assertEquals(keys.size(), names.size(), "file names: " + names);
        assertEquals(keys.size(), keys.stream().map(EngineCacheKey::canonical).distinct().count());
    }

    @Test
    void fileNameIsReadableAndSafe() {
        String name = with(set(0, "my model/v2.onnx")).fileName();
        assertTrue(name.startsWith("my_model_v2-fp32-640x480-"), name);
        assertTrue(name.endsWith(".engine"), name);
        assertFalse(name.contains("/"));
        assertEquals(BASE.fileName(), with(c -> c).fileName(), "the same key gives the same name");
        assertNotEquals(BASE.fileName(), with(set(0, "other.onnx")).fileName());
    }

    @Test
    void profileCoversItsRangeOnly() {
        Profile p = Profile.forStream(640, 480, 8);
        assertTrue(p.covers(640, 480));
        assertTrue(p.covers(8, 8));
        assertFalse(p.covers(648, 480), "a wider frame needs another engine");
        assertFalse(p.covers(640, 488));
        assertThrows(IllegalArgumentException.class, () -> new Profile(16, 16, 8, 8, 640, 480));
    }
}
