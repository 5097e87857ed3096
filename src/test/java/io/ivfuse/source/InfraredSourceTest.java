package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.frame.Plane;
import io.ivfuse.job.Natives;
import io.ivfuse.testing.TestVideos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfraredSourceTest {

    @Test
    void eightBitInfraredIsReadAsFullRangeGray(@TempDir Path dir) {
        Path file = TestVideos.write(dir.resolve("ir.mkv"), 32, 16, 9, 3, "ffv1", (i, x, y) -> 16 + x * 7);
        try (InfraredSource ir = InfraredSource.open(file.toString(), new IvfuseConfig.Gray16())) {
            assertFalse(ir.isSixteenBit());
            TimedPlane frame = new TimedPlane(Plane.allocate(32, 16));
            assertTrue(ir.read(frame));
            assertEquals(0, frame.plane().get(0, 0), "limited-range black becomes 0");
            assertEquals(LumaRange.toFull(16 + 31 * 7), frame.plane().get(31, 5), 1);
            assertTrue(ir.read(frame));
            assertEquals(Math.round(1e6 / 9), frame.timestampUs(), 1000);
        }
    }

    @Test
    void sixteenBitThermalIsMappedByPercentileGain(@TempDir Path dir) throws Exception {
        Natives.init();
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
        try (InfraredSource ir = InfraredSource.open(file.toString(), gain)) {
            assertTrue(ir.isSixteenBit());
            TimedPlane frame = new TimedPlane(Plane.allocate(w, h));
            assertTrue(ir.read(frame));
            // Below the 10th percentile clips to black, above the 90th to white, linear between.
            assertEquals(0, frame.plane().get(5, 3));
            assertEquals(255, frame.plane().get(95, 3));
            int mid = frame.plane().get(50, 3);
            assertTrue(mid > 110 && mid < 145, "middle of the ramp maps near mid-gray, got " + mid);
            for (int x = 1; x < w; x++) {
                assertTrue(frame.plane().get(x, 0) >= frame.plane().get(x - 1, 0), "monotonic");
            }
        }
    }
}
