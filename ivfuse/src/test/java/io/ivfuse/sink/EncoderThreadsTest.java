package io.ivfuse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.testing.FfmpegCli;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thread count an encoder is given reaches FFmpeg: libopenh264 cuts a slice per thread. */
class EncoderThreadsTest {
    static final int W = 160;
    static final int H = 120;
    static final int FRAMES = 6;

    /** Slices in the H.264 stream of {@code file}, read back with FFmpeg's trace_headers filter. */
    private static int slices(Path file) {
        FfmpegCli.Result r = FfmpegCli.run(30, "-v", "trace", "-i", file.toString(), "-c", "copy", "-bsf:v", "trace_headers",
                "-f", "null", "-");
        return (int) r.output().lines().filter(l -> l.contains("Slice Header")).count();
    }

    private static Path encode(Path file, int threads) {
        EncoderSettings settings = new EncoderSettings("libopenh264", 2000, null, false, 1.0, Map.of(), threads, 0);
        ByteBuffer picture = ByteBuffer.allocateDirect(W * H * 3 / 2);
        try (VideoEncoder e = VideoEncoder.open(file, W, H, 30, settings)) {
            for (int i = 0; i < FRAMES; i++) {
                for (int p = 0; p < W * H; p++) {
                    picture.put(p, (byte) (p + 7 * i));
                }
                e.write(picture, Math.round(i * 1e6 / 30));
            }
        }
        return file;
    }

    @Test
    void openh264GetsOneSlicePerThread(@TempDir Path dir) {
        assertEquals(FRAMES, slices(encode(dir.resolve("one.mp4"), 1)));
        assertEquals(2 * FRAMES, slices(encode(dir.resolve("two.mp4"), 2)));
        assertEquals(Map.of("threads", "2", "slices", "2", "bf", "0"),
                VideoEncoder.tuning("libopenh264", new EncoderSettings("libopenh264", 0, null, false, 1, Map.of(), 2, 0), false));
    }

    @Test
    void thePlanGivesOpenh264OneThreadAndOtherEncodersItsCount() {
        EncoderSettings planned = new EncoderSettings("auto", 0, null, false, 1, Map.of(), 0, 2);
        assertEquals("1", VideoEncoder.tuning("libopenh264", planned, false).get("threads"));
        assertEquals(null, VideoEncoder.tuning("libopenh264", planned, false).get("slices"));
        assertEquals("2", VideoEncoder.tuning("libx264", planned, false).get("threads"));
        assertEquals("auto", VideoEncoder.tuning("libx264", new EncoderSettings("auto", 0, null, false), false).get("threads"));
    }

    @Test
    void aUserOptionStillWinsOverThePlan(@TempDir Path dir) {
        EncoderSettings settings = new EncoderSettings("libopenh264", 2000, null, false, 1.0, Map.of("slices", "3"), 2, 0);
        VideoEncoder.Choice choice = VideoEncoder.choose(new MuxTarget(dir.resolve("x.mp4").toString(), "mp4", Map.of(),
                false, "output x.mp4"), W, H, 30, settings);
        assertEquals("3", choice.videoOptions().get("slices"));
        assertEquals("2", choice.videoOptions().get("threads"));
    }
}
