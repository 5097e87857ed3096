package io.ivfuse.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch: section beside the run config: its defaults, its values, and one-line errors naming the key. */
class BatchConfigTest {
    @TempDir
    Path dir;

    private BatchConfig load(String yaml) throws Exception {
        Path file = dir.resolve("batch.yaml");
        Files.writeString(file, yaml);
        return BatchConfig.load(file);
    }

    private String refused(String yaml) {
        String message = assertThrows(IvfuseException.class, () -> load(yaml)).getMessage();
        assertTrue(message.startsWith("config " + dir.resolve("batch.yaml") + ": "), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void theSectionIsReadBesideTheRunConfig() throws Exception {
        assertEquals(BatchSettings.DEFAULTS, load("fusion:\n  engine: laplacian\n").batch());
        assertEquals(new BatchSettings(30, 1.5, "mkv"),
                load("fusion:\n  engine: laplacian\nbatch:\n  segment_seconds: 30\n  preroll_seconds: 1.5\n  container: MKV\n").batch());
        assertEquals(0, load("batch:\n  segment_seconds: 0\n").batch().segmentSeconds(), "0: pairs fused whole");
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(refused("batch:\n  segment_secs: 30\n").contains("batch.segment_secs: unknown key (known: segment_seconds"));
        assertTrue(refused("batch:\n  segment_seconds: -5\n").contains("batch.segment_seconds: must be a number of seconds >= 0"));
        assertTrue(refused("batch:\n  preroll_seconds: soon\n").contains("batch.preroll_seconds: must be a number"));
        assertTrue(refused("batch:\n  container: avi\n").contains("batch.container: 'avi' is not one of mp4, mkv, mov"));
        assertTrue(refused("batch: 60\n").contains("batch: must be a mapping"));
        assertTrue(refused("batch:\n  segment_seconds: 30\nfusion:\n  engin: laplacian\n").contains("engin"),
                "the run part is still checked as ivfuse run checks it");
    }
}
