package io.ivfuse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RTSP test media: H.264 with a short regular GOP, and frame numbers that survive coding. */
class StampedVideoTest {

    @Test
    void stampRoundTripsWithoutCoding() {
        int w = 160;
        int h = 120;
        TestVideos.Pattern p = TestVideos.stamped(w, h, TestVideos::gradient);
        for (int n : new int[] {0, 1, 0x5A3C, 0xFFFF}) {
            byte[] luma = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    luma[y * w + x] = (byte) p.luma(n, x, y);
                }
            }
            assertEquals(n, TestVideos.readStampedFrameNumber(luma, w, h));
        }
        byte[] gray = new byte[w * h];
        Arrays.fill(gray, (byte) 128);
        assertEquals(-1, TestVideos.readStampedFrameNumber(gray, w, h), "no stamp in a flat gray frame");
    }

    @Test
    void stampedH264FileHasShortGopNoBFramesAndReadableFrameNumbers(@TempDir Path dir) {
        int w = 320;
        int h = 240;
        int frames = 40;
        Path file = TestVideos.writeStampedH264Mkv(dir.resolve("stamped.mkv"), w, h, 30, frames);

        FfmpegCli.Result stream = FfmpegCli.probe(30, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,has_b_frames,width,height", "-of", "csv=p=0", file.toString());
        assertEquals("h264,320,240,0", stream.output().trim(), "codec, size, B-frames");
        FfmpegCli.Result packets = FfmpegCli.probe(30, "-v", "error", "-select_streams", "v:0",
                "-show_entries", "packet=flags", "-of", "csv=p=0", file.toString());
        List<Integer> keyframes = new ArrayList<>();
        String[] flags = packets.output().trim().split("\n");
        for (int i = 0; i < flags.length; i++) {
            if (flags[i].startsWith("K")) {
                keyframes.add(i);
            }
        }
        assertEquals(List.of(0, 15, 30), keyframes, "keyframes every " + TestVideos.GOP + " frames");

        List<byte[]> gray = TestVideos.readGray(file);
        List<byte[]> limited = TestVideos.readLuma(file);
        assertEquals(frames, gray.size());
        for (int i = 0; i < frames; i++) {
            assertEquals(i, TestVideos.readStampedFrameNumber(gray.get(i), w, h), "full-range frame " + i);
            assertEquals(i, TestVideos.readStampedFrameNumber(limited.get(i), w, h), "limited-range frame " + i);
        }
    }
}
