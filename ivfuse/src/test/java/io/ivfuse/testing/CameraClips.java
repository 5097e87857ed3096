package io.ivfuse.testing;

import java.nio.file.Path;

/**
 * A visible and an IR clip for an RTSP test camera: 320x240, 15 fps, 40 s of H.264 (long enough that
 * no test reaches the end of the served file), with different moving patterns.
 */
public record CameraClips(Path visible, Path infrared) {

    public static CameraClips write(Path dir) {
        return new CameraClips(TestVideos.writeH264Mkv(dir.resolve("vis.mkv"), 320, 240, 15, 600, TestVideos::gradient),
                TestVideos.writeH264Mkv(dir.resolve("ir.mkv"), 320, 240, 15, 600, (i, x, y) -> 255 - TestVideos.gradient(i, y, x)));
    }
}
