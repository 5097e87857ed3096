package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.testing.SharedFiles;
import io.ivfuse.testing.WarpedRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ivfuse calibrate --ir-video/--vis-video --frames N} on the registered M3SVD clips: a known
 * warp of the IR recording is recovered from pooled frame pairs, and recordings that cannot give
 * pairs are refused with one line and no file.
 */
class CalibrateVideoTest {
    private static final String IR_CLIP = "data/m3svd/video/ir/0111_1716.mp4";
    private static final String VIS_CLIP = "data/m3svd/video/vis/0111_1716.mp4";

    @TempDir
    Path dir;

    /** IR'(q) = IR(G q) for every frame of the first two seconds: 5% larger, 2.5 degrees, shifted, a slight tilt. */
    @Test
    void recoversAKnownWarpOfAnInfraredRecording() throws Exception {
        List<Path> clips = SharedFiles.requireAll(IR_CLIP, VIS_CLIP);
        double a = Math.toRadians(2.5);
        Homography g = Homography.of(1.05 * Math.cos(a), -1.05 * Math.sin(a), -14, 1.05 * Math.sin(a),
                1.05 * Math.cos(a), 10, 1e-5, -1e-5, 1);
        Path warped = warpedRecording(clips.get(0), g, 2);
        Path out = dir.resolve("calib.yaml");
        Result r = ivfuse("calibrate", "--ir-video", warped.toString(), "--vis-video", clips.get(1).toString(),
                "--frames", "3", "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("3 of 3 frame pairs agree"), r.out());
        FrameSize size = new FrameSize(640, 480);
        // the clips are registered, so IR'(q) = IR(G q) shows at G q in the visible frame: IR' to visible is G
        double error = Calibration.load(out).irToVis().meanDistance(g, size);
        assertTrue(error <= 2, "mean error " + error + " px: " + r.out());
        assertTrue(Files.size(dir.resolve("calib.overlay.png")) > 0, "overlay picture written");
    }

    @Test
    void recordingsWithoutOverlapAreRefused() throws Exception {
        Path vis = SharedFiles.require(VIS_CLIP);
        // the IR clip's first second, its timestamps moved 10 s on: after the visible clip has ended
        Path late = dir.resolve("late.mkv");
        WarpedRecording.ffmpeg("-i", vis.toString(), "-t", "1", "-c", "copy", "-output_ts_offset", "10", late.toString());
        Result r = ivfuse("calibrate", "--ir-video", late.toString(), "--vis-video", vis.toString(), "-o",
                dir.resolve("calib.yaml").toString());
        assertRefused(r, "videos without overlap: --ir-video " + late + " covers 10.000..");
        assertTrue(r.err().contains("--vis-video " + vis + " covers 0.000.."), r.err());
        assertNothingWritten("late.mkv");
    }

    @Test
    void badArgumentsAndFilesAreRefusedWithoutWritingAFile() throws Exception {
        Path vis = SharedFiles.require(VIS_CLIP);
        String out = dir.resolve("calib.yaml").toString();
        assertRefused(ivfuse("calibrate", "--ir-video", vis.toString(), "--vis-video", vis.toString(), "--frames", "0",
                "-o", out), "--frames must be at least 1, got 0");
        Path missing = dir.resolve("missing.mp4");
        assertRefused(ivfuse("calibrate", "--ir-video", missing.toString(), "--vis-video", vis.toString(), "-o", out),
                "--ir-video video " + missing + " does not exist or is not a file");
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        assertRefused(ivfuse("calibrate", "--ir-video", vis.toString(), "--vis-video", text.toString(), "-o", out),
                "--vis-video input '" + text + "' is not a readable video");
        // a 1 s clip has 30 frames: 40 distinct pairs cannot be sampled from it
        Path short1s = dir.resolve("short.mkv");
        WarpedRecording.ffmpeg("-i", vis.toString(), "-t", "1", "-c", "copy", short1s.toString());
        assertRefused(ivfuse("calibrate", "--ir-video", short1s.toString(), "--vis-video", vis.toString(), "--frames",
                "40", "-o", out), "of the 40 frame pairs asked for (--frames) could be decoded and paired");
        assertNothingWritten("notes.mp4", "short.mkv");
    }

    private void assertNothingWritten(String... inputs) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Stream.of(inputs).sorted().toList(), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    /** The recording's first {@code seconds}, every frame warped by G. */
    private Path warpedRecording(Path clip, Homography g, int seconds) throws IOException {
        return WarpedRecording.write(clip, 30 * seconds, 0, g, Files.createDirectory(dir.resolve("frames")),
                dir.resolve("ir-warped.mkv"));
    }
}
