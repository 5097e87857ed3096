package io.ivfuse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheSageCheckpoint() {
        Map<String, TorchTensor> sd = TorchCheckpoint.readStateDict(SharedFiles.require(SageGoldenTest.CHECKPOINT));
        assertEquals(121, sd.size());
        assertArrayEquals(new int[] {32, 2, 3, 3}, sd.get("module1.0.weight").shape());
        assertEquals(TorchTensor.DType.INT64, sd.get("module1.1.num_batches_tracked").dtype());
        long learnable = sd.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".weight") || e.getKey().endsWith(".bias"))
                .mapToLong(e -> e.getValue().numel()).sum();
        assertEquals(135_617, learnable, "ARCH.md's parameter count");
        for (float v : sd.get("module3.4.running_var").floats()) {
            assertTrue(v > 0 && Float.isFinite(v));
        }
    }

    @Test
    void gathersNonContiguousStrides() {
        // a 2x3 view with strides (1, 2) over [0..5]: the transpose of a contiguous 3x2
        int[] idx = TorchTensor.contiguousIndices(new int[] {2, 3}, new long[] {1, 2}, 0, 6);
        assertArrayEquals(new int[] {0, 2, 4, 1, 3, 5}, idx);
        assertArrayEquals(new int[] {1, 2, 3}, TorchTensor.contiguousIndices(new int[] {3}, new long[] {1}, 1, 4));
        assertThrows(IllegalArgumentException.class,
                () -> TorchTensor.contiguousIndices(new int[] {3}, new long[] {2}, 0, 4));
    }

    @Test
    void clearErrorsForFilesThatAreNotCheckpoints() throws IOException {
        Path text = tmp.resolve("notes.pt");
        Files.writeString(text, "hello");
        IvfuseException e = assertThrows(IvfuseException.class, () -> TorchCheckpoint.readStateDict(text));
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint") && e.getMessage().contains("notes.pt"), e.getMessage());

        Path zip = tmp.resolve("other.zip");
        writeZip(zip, Map.of("readme.txt", new byte[] {1}));
        IvfuseException z = assertThrows(IvfuseException.class, () -> TorchCheckpoint.readStateDict(zip));
        assertTrue(z.getMessage().contains("data.pkl"), z.getMessage());

        Path missing = tmp.resolve("nope.pt");
        assertTrue(assertThrows(IvfuseException.class, () -> TorchCheckpoint.readStateDict(missing))
                .getMessage().contains("does not exist"));
    }

    @Test
    void missingStorageIsNamed() throws IOException {
        // {'w': _rebuild_tensor_v2(storage('0', float, 2), 0, (2,), (1,), False, OrderedDict())} without data/0
        byte[] pkl = {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'w',
            'c', 't', 'o', 'r', 'c', 'h', '.', '_', 'u', 't', 'i', 'l', 's', '\n',
            '_', 'r', 'e', 'b', 'u', 'i', 'l', 'd', '_', 't', 'e', 'n', 's', 'o', 'r', '_', 'v', '2', '\n',
            '(', '(', 'X', 7, 0, 0, 0, 's', 't', 'o', 'r', 'a', 'g', 'e',
            'c', 't', 'o', 'r', 'c', 'h', '\n', 'F', 'l', 'o', 'a', 't', 'S', 't', 'o', 'r', 'a', 'g', 'e', '\n',
            'X', 1, 0, 0, 0, '0', 'X', 3, 0, 0, 0, 'c', 'p', 'u', 'K', 2, 't', 'Q',
            'K', 0, 'K', 2, (byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89, '}', 't', 'R', 's', '.'};
        Path ckpt = tmp.resolve("tiny.pt");
        writeZip(ckpt, Map.of("tiny/data.pkl", pkl));
        IvfuseException e = assertThrows(IvfuseException.class, () -> TorchCheckpoint.readStateDict(ckpt));
        assertTrue(e.getMessage().contains("tiny/data/0"), e.getMessage());

        writeZip(ckpt, Map.of("tiny/data.pkl", pkl, "tiny/data/0", new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}));
        TorchTensor w = TorchCheckpoint.readStateDict(ckpt).get("w");
        assertArrayEquals(new float[] {1f, 2f}, w.floats());
    }

    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }
}
