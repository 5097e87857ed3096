package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareDecodingTest {
    @TempDir
    Path dir;

    @Test
    void nvdecIsTriedFirstOnlyWhenSwitchDriverAndBuildAllowIt() {
        assertEquals("h264_cuvid", HardwareDecoding.nvdecName(AV_CODEC_ID_H264));
        assertEquals("hevc_cuvid", HardwareDecoding.nvdecName(AV_CODEC_ID_HEVC));
        assertNull(HardwareDecoding.nvdecName(AV_CODEC_ID_MPEG4), "no NVDEC decoder: software only, nothing logged");
        assertEquals("turned off (-Divfuse.nvdec=false)", HardwareDecoding.skipReason("h264_cuvid", false, true, true));
        assertTrue(HardwareDecoding.skipReason("h264_cuvid", true, false, true).startsWith("no NVIDIA driver"));
        assertEquals("h264_cuvid is not in this FFmpeg build", HardwareDecoding.skipReason("h264_cuvid", true, true, false));
        assertNull(HardwareDecoding.skipReason("h264_cuvid", true, true, true), "all there: NVDEC is tried");
    }

    @Test
    void withoutNvdecAnH264InputDecodesInSoftwareAndSaysWhyOnce() {
        Path clip = TestVideos.write(dir.resolve("clip.mkv"), 64, 48, 30, 5, "libopenh264", TestVideos::gradient);
        boolean driver = Files.exists(Path.of("/proc/driver/nvidia/version"));
        for (int open = 0; open < 2; open++) {
            try (VideoSource video = VideoSource.open("visible", clip.toString(), avutil.AV_PIX_FMT_GRAY8)) {
                int frames = 0;
                while (video.grab()) {
                    frames++;
                }
                assertEquals(5, frames);
                if (!driver) {
                    assertEquals("h264", video.decoderName(), "software fallback");
                } else {
                    assertTrue(video.decoderName().startsWith("h264"), video.decoderName());
                }
            }
        }
        if (!driver) {
            assertTrue(HardwareDecoding.hasLogged("h264_cuvid", "no NVIDIA driver"));
        }
    }
}
