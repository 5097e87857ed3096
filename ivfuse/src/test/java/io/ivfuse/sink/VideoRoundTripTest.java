package io.ivfuse.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoRoundTripTest {

    @Test
    void losslessCodecReturnsTheExactFramesWritten(@TempDir Path dir) {
        int w = 96;
        int h = 64;
        Path file = TestVideos.write(dir.resolve("rt.mkv"), w, h, 30, 12, "ffv1", TestVideos::gradient);
        List<byte[]> frames = TestVideos.readYuv(file);
        assertEquals(12, frames.size());
        int chroma = (w / 2) * (h / 2);
        for (int i = 0; i < frames.size(); i++) {
            byte[] expected = new byte[w * h + 2 * chroma];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    expected[y * w + x] = (byte) TestVideos.gradient(i, x, y);
                }
            }
            for (int c = 0; c < chroma; c++) {
                expected[w * h + c] = (byte) (16 + i);
                expected[w * h + chroma + c] = (byte) 128;
            }
            assertArrayEquals(expected, frames.get(i), "frame " + i);
        }
    }
}
