package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.frame.Plane;
import io.ivfuse.job.Natives;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.TestVideos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraredDecodingTest {

    /** Reads a file through the IR input reader `ivfuse run` uses; returns its first two frames' (copied) planes and times. */
    private static InputFrame[] firstTwo(Path file, IvfuseConfig.Gray16 gain, int w, int h) {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        InputPlan plan = InputKinds.plan("IR", io.ivfuse.config.InputSpec.of(file.toString()), live);
        try (InputReader ir = new InputReader(plan, new InfraredDecoding(gain), live, new PipelineMetrics().ir, false)) {
            ir.start();
            InputFrame[] out = new InputFrame[2];
            for (int i = 0; i < 2; i++) {
                InputFrame f = ir.queue().next(System.nanoTime() + 10_000_000_000L);
                assertTrue(f != null, "frame " + i);
                out[i] = InputFrame.gray(w, h);
                out[i].plane().copyFrom(f.plane());
                out[i].setTimestampUs(f.timestampUs());
                ir.queue().release(f);
            }
            return out;
        }
    }

    @Test
    void eightBitInfraredIsReadAsFullRangeGray(@TempDir Path dir) {
        Path file = TestVideos.write(dir.resolve("ir.mkv"), 32, 16, 9, 3, "ffv1", (i, x, y) -> 16 + x * 7);
        try (VideoSource video = VideoSource.open("IR", file.toString(), org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8)) {
            assertFalse(InfraredDecoding.isSixteenBit(video));
        }
        InputFrame[] frames = firstTwo(file, new IvfuseConfig.Gray16(), 32, 16);
        assertEquals(0, frames[0].plane().get(0, 0), "limited-range black becomes 0");
        assertEquals(LumaRange.toFull(16 + 31 * 7), frames[0].plane().get(31, 5), 1);
        assertEquals(Math.round(1e6 / 9), frames[1].timestampUs(), 1000);
    }

    @Test
    void sixteenBitThermalIsMappedByPercentileGain(@TempDir Path dir) throws Exception {
        Natives.ffmpeg();
        int w = 100;
        int h = 10;
        Path file = dir.resolve("y16.mkv");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), w, h, 0)) {
            r.setFormat("matroska");
            r.setVideoCodecName("ffv1");
            r.setPixelFormat(AV_PIX_FMT_GRAY16LE);
            r.setFrameRate(9);
            r.start();
            ShortBuffer px = ByteBuffer.allocateDirect(w * h * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px.put(y * w + x, (short) (20000 + x * 100)); // a ramp 20000..29900 (raw counts)
                }
            }
            for (int i = 0; i < 3; i++) {
                r.recordImage(w, h, Frame.DEPTH_USHORT, 1, w, AV_PIX_FMT_GRAY16LE, px);
            }
            r.stop();
        }
        IvfuseConfig.Gray16 gain = new IvfuseConfig.Gray16();
        gain.lowPercentile = 10;
        gain.highPercentile = 90;
        try (VideoSource video = VideoSource.open("IR", file.toString(), org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8)) {
            assertTrue(InfraredDecoding.isSixteenBit(video));
        }
        Plane frame = firstTwo(file, gain, w, h)[0].plane();
        // Below the 10th percentile clips to black, above the 90th to white, linear between.
        assertEquals(0, frame.get(5, 3));
        assertEquals(255, frame.get(95, 3));
        int mid = frame.get(50, 3);
        assertTrue(mid > 110 && mid < 145, "middle of the ramp maps near mid-gray, got " + mid);
        for (int x = 1; x < w; x++) {
            assertTrue(frame.get(x, 0) >= frame.get(x - 1, 0), "monotonic");
        }
    }
}
