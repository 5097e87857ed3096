package io.ivfuse.cli;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command end to end, and every kind of bad input it must refuse clearly. */
class RunCommandTest {
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 30, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir9fps.mkv"), 32, 24, 9, 9, "ffv1", (i, x, y) -> 200 - 5 * i);
    }

    record Result(int exit, String out, String err) {
    }

    static Result ivfuse(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    static void assertRefused(Result r, String expected) {
        assertEquals(2, r.exit, "exit code; stderr: " + r.err);
        String line = r.err.strip();
        assertTrue(line.startsWith("ivfuse: error: "), line);
        assertTrue(line.contains(expected), "expected '" + expected + "' in: " + line);
        assertFalse(line.contains("\tat "), "no stack trace: " + line);
    }

    @Test
    void fusesNineFpsInfraredOfAnotherSizeIntoAVideoOfTheVisibleLength() throws Exception {
        Path out = dir.resolve("fused.mkv");
        Path json = dir.resolve("summary.json");
        Result r = ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--engine", "max", "--codec", "ffv1", "--metrics-json", json.toString(), "--progress", "off",
                "--temporal-stability");
        assertEquals(0, r.exit, r.err);
        assertEquals(30, TestVideos.readLuma(out).size());
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(30, s.get("frames_out").asInt());
        assertEquals(9, s.get("frames_in_ir").asInt());
        assertEquals(30, s.get("frames_in_visible").asInt());
        assertEquals(30, s.get("paired").asInt() + s.get("held").asInt());
        assertTrue(s.get("held").asInt() > 15, "9 fps IR under 30 fps visible is mostly held");
        assertTrue(s.get("stages_ms").has("fuse"));
        assertTrue(s.get("stages_ms").get("fuse").has("p99"));
        // max moves no more than its busiest source at any pixel: no flicker added (RunOutcomesTest has a flickering one).
        assertEquals(0.0, s.get("quality").get("temporal_stability").asDouble(), "temporal stability: " + s);
    }

    @Test
    void fusesAFolderOfInfraredFramesAtTheFrameRateItIsGiven() throws Exception {
        // Ten gray PNG frames named as cameras name them (upper-case extension), written by the bundled ffmpeg.
        Path frames = Files.createDirectories(dir.resolve("ir-frames"));
        Path clip = TestVideos.write(dir.resolve("ir10.mkv"), 32, 24, 10, 10, "ffv1", (i, x, y) -> 200 - 5 * i);
        FfmpegCli.Result png = FfmpegCli.run(60, "-nostdin", "-y", "-v", "error", "-i", clip.toString(), "-pix_fmt", "gray",
                frames.resolve("IR_%03d.PNG").toString());
        assertEquals(0, png.exitCode(), png.output());
        Path json = dir.resolve("frames-summary.json");
        Path config = Files.writeString(dir.resolve("frames.yaml"), String.join("\n",
                "input:", "  ir: {uri: '" + frames + "', options: {framerate: '10'}}", "  vis: '" + vis + "'", ""));
        Path out = dir.resolve("from-frames.mkv");
        Result r = ivfuse("run", "--config", config.toString(), "-o", out.toString(), "--engine", "max", "--codec", "ffv1",
                "--metrics-json", json.toString(), "--progress", "off");
        assertEquals(0, r.exit, r.err);
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(10, s.get("frames_in_ir").asInt(), "every image file is a frame");
        assertEquals(30, s.get("frames_in_visible").asInt());
        assertEquals(30, s.get("frames_out").asInt(), "10 frames at 10 fps last as long as the visible second");
        assertEquals(10, s.get("paired").asInt(), "every third visible frame meets an IR frame: " + s);
        assertEquals(20, s.get("held").asInt(), "the others hold the last one: " + s);
        assertEquals(30, TestVideos.readLuma(out).size());
    }

    @Test
    void missingInput() {
        assertRefused(ivfuse("run", "--ir", "/no/such/ir.mp4", "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString()),
                "IR input '/no/such/ir.mp4': no such file");
    }

    @Test
    void aFileThatIsNotVideo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", text.toString(), "-o", dir.resolve("x.mp4").toString()),
                "visible input '" + text + "' is not a readable video");
    }

    @Test
    void aStreamWithZeroFrames() {
        Path empty = dir.resolve("empty.avi"); // AVI keeps a stream header with no frames
        Natives.ffmpeg();
        VideoEncoder.open(empty, 64, 48, 30, new EncoderSettings("mpeg4", 0, null, false)).close();
        assertRefused(ivfuse("run", "--ir", empty.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString()),
                "has no video frames");
    }

    @Test
    void anUnsupportedPixelFormat() throws Exception {
        Natives.ffmpeg();
        Path odd = dir.resolve("bgr4.nut");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(odd.toString(), 16, 16, 0)) {
            r.setFormat("nut");
            r.setVideoCodecName("rawvideo");
            r.setPixelFormat(AV_PIX_FMT_BGR4);
            r.setFrameRate(30);
            r.start();
            ByteBuffer px = ByteBuffer.allocateDirect(16 * 16 / 2);
            r.recordImage(16, 16, Frame.DEPTH_UBYTE, 1, 8, AV_PIX_FMT_BGR4, px);
            r.stop();
        }
        assertRefused(ivfuse("run", "--ir", odd.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString()),
                "unsupported pixel format 'bgr4'");
    }

    @Test
    void timestampsThatNeverOverlapLeaveNoOutputBehind() {
        Path out = dir.resolve("never.mp4");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--ir-offset-ms", "60000"), "never come within tolerance");
        assertFalse(Files.exists(out), "a failed run leaves no empty file");
    }

    @Test
    void anOutputPathThatCannotBeWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", file.resolve("out.mp4").toString()),
                "does not exist");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", dir.resolve("out.xyz").toString()),
                "unknown video container '.xyz'");
    }

    @Test
    void anUnknownEngine() {
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString(),
                "--engine", "magic"), "unknown engine 'magic' (available: auto, ");
    }

    @Test
    void anUnknownConfigKey() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), "output:\n  paht: x.mp4\n");
        assertRefused(ivfuse("run", "--config", config.toString()), "unknown key 'output.paht'");
    }

    @Test
    void aMissingRequiredSetting() {
        assertRefused(ivfuse("run", "--vis", vis.toString(), "-o", "x.mp4"), "config key 'input.ir' is required");
    }

    @Test
    void anUnknownFlagValue() {
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", "x.mp4", "--backpressure", "maybe"),
                "--backpressure: unknown value 'maybe'");
    }

    @Test
    void aMalformedOrSingularCalibration() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.yaml"), "%YAML:1.0\nH: [ this is not, a matrix\n");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString(),
                "--calibration", garbage.toString()), "calibration file " + garbage);
        Path singular = Files.writeString(dir.resolve("singular.yaml"), "%YAML:1.0\n---\nH: !!opencv-matrix\n"
                + "   rows: 3\n   cols: 3\n   dt: d\n   data: [ 1., 2., 3., 2., 4., 6., 0., 0., 1. ]\n");
        Result r = ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString(),
                "--calibration", singular.toString());
        assertRefused(r, "singular");
        assertTrue(r.err.contains(singular.toString()), r.err);
    }

    @Test
    void aPreviewWindowWithoutADisplay() {
        assumeTrue(java.awt.GraphicsEnvironment.isHeadless(), "a display is attached: the preview would open");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", dir.resolve("x.mp4").toString(),
                "--display"), "--display needs a graphical display");
    }

    @Test
    void aConfigFileDrivesTheRunAndItsCsvMetrics() throws Exception {
        Path csv = dir.resolve("csv");
        Path out = dir.resolve("from-config.mkv");
        Path config = Files.writeString(dir.resolve("run.yaml"), String.join("\n",
                "input:", "  ir: " + ir, "  vis: " + vis,
                "fusion:", "  engine: average", "  threads: 2",
                "output:", "  path: " + out, "  codec: ffv1",
                "metrics:", "  csv_dir: " + csv, "  progress: 'off'", ""));
        Path json = dir.resolve("from-config.json");
        Result r = ivfuse("run", "--config", config.toString(), "--engine", "max", "--metrics-json", json.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("out 30"), r.out);
        assertEquals("max", new ObjectMapper().readTree(json.toFile()).get("engine").asText(), "--engine beats fusion.engine");
        List<byte[]> fused = TestVideos.readLuma(out);
        assertEquals(30, fused.size());
        // Frame 0 pairs visible frame 0 with IR frame 0 (200 everywhere): max, not the config's average.
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int expected = Math.max(TestVideos.gradient(0, x, y), 200);
                assertEquals(expected, fused.get(0)[y * 64 + x] & 0xFF, 1, "pixel (" + x + ", " + y + ") of frame 0");
            }
        }
        assertTrue(Files.isRegularFile(csv.resolve("ivfuse.output.frames.csv")), "CSV reporter wrote the output meter");
        assertTrue(Files.isRegularFile(csv.resolve("ivfuse.stage.fuse.csv")));
    }

    @Test
    void aFailedRunNeverDeletesAnOutputItDidNotCreate() throws Exception {
        Path previous = Files.writeString(dir.resolve("previous-result.mp4"), "an earlier run's output");
        assertRefused(ivfuse("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", previous.toString(), "-y",
                "--engine", "magic"), "unknown engine 'magic'");
        assertEquals("an earlier run's output", Files.readString(previous));
    }
}
