package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCacheTest {
    private static final EngineCacheKey KEY = EngineCacheKeyTest.BASE;
    private static final byte[] PLAN = planBytes();

    @TempDir
    Path dir;

    private static byte[] planBytes() {
        byte[] b = new byte[10_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void storedPlanLoadsBackAndNothingIsLeftHalfWritten() throws Exception {
        EngineCache cache = new EngineCache(dir.resolve("tensorrt"));
        assertNull(cache.load(KEY), "empty cache");
        Path file = cache.store(KEY, ByteBuffer.wrap(PLAN));
        assertEquals(KEY.fileName(), file.getFileName().toString());
        assertArrayEquals(PLAN, cache.load(KEY));
        try (var files = Files.list(dir.resolve("tensorrt"))) {
            assertEquals(1, files.count(), "only the engine file, no temporary");
        }
    }

    @Test
    void truncatedFlippedOrForeignFilesAreRebuilt() throws Exception {
        EngineCache cache = new EngineCache(dir);
        Path file = cache.store(KEY, ByteBuffer.wrap(PLAN));
        byte[] sound = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(sound, sound.length - 100));
        assertNull(cache.load(KEY), "truncated");

        byte[] flipped = sound.clone();
        flipped[flipped.length - 1] ^= 1;
        Files.write(file, flipped);
        assertNull(cache.load(KEY), "one bit flipped in the plan");

        Files.write(file, PLAN);
        assertNull(cache.load(KEY), "a raw plan without the header (trtexec's file, say)");

        Files.write(file, sound);
        assertArrayEquals(PLAN, cache.load(KEY), "the sound file still loads");
    }

    @Test
    void aFileUnderAnotherKeysNameIsNotUsed() throws Exception {
        EngineCache cache = new EngineCache(dir);
        EngineCacheKey other = new EngineCacheKey("nano.onnx", KEY.modelSha256(), KEY.tensorrtVersion(), KEY.cudaRuntime(),
                KEY.cudaDriver(), KEY.gpuName(), KEY.computeMajor(), KEY.computeMinor(), Precision.FP16, KEY.profile());
        Path written = cache.store(other, ByteBuffer.wrap(PLAN));
        Files.move(written, cache.file(KEY));
        assertNull(cache.load(KEY));
    }

    @Test
    void unusableFolderIsAClearError() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        IvfuseException e = assertThrows(IvfuseException.class, () -> new EngineCache(notAFolder.resolve("tensorrt")));
        assertTrue(e.getMessage().startsWith("TensorRT engine cache " + notAFolder.resolve("tensorrt") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("cache_dir"), e.getMessage());
        IvfuseException f = assertThrows(IvfuseException.class, () -> new EngineCache(notAFolder));
        assertTrue(f.getMessage().contains("not a folder"), f.getMessage());
    }
}
