package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --mode mef}: two exposure files, one bracketed file, and the inputs it must refuse. */
class RunMefTest {
    @TempDir
    static Path dir;
    static Path under;
    static Path over;

    @BeforeAll
    static void inputs() {
        under = TestVideos.write(dir.resolve("under.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 20 + (x + y + i) % 40);
        over = TestVideos.write(dir.resolve("over.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 180 + (x + y + i) % 50);
    }

    @Test
    void fusesTwoExposureFilesIntoColourFramesBetweenThem() throws Exception {
        Path out = dir.resolve("mef.mkv");
        Path json = dir.resolve("mef.json");
        RunCommandTest.Result r = ivfuse("run", "--mode", "mef", "--under", under.toString(), "--over", over.toString(),
                "-o", out.toString(), "--engine", "mef-lut", "--codec", "ffv1", "--metrics-json", json.toString(),
                "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        List<byte[]> frames = TestVideos.readYuv(out);
        assertEquals(20, frames.size());
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(20, s.get("paired").asInt());
        assertEquals("mef-lut", s.get("engine").asText());
        double mean = meanLuma(frames.get(10), 64 * 48);
        assertTrue(mean > 60 && mean < 200, "fused luminance lies between the exposures': " + mean);
        // chroma: both inputs carry U = 16 + frame (TestVideos), strongly coloured; the blend keeps it
        int u = frames.get(10)[64 * 48] & 0xFF;
        assertEquals(26, u, 2, "U of frame 10");
    }

    @Test
    void theLearnedStudentRunsInModeMef() throws Exception {
        Path out = dir.resolve("mef-onnx.mkv");
        Path json = dir.resolve("mef-onnx.json");
        RunCommandTest.Result r = ivfuse("run", "--mode", "mef", "--under", under.toString(), "--over", over.toString(),
                "-o", out.toString(), "--engine", "onnxruntime", "--codec", "ffv1", "--metrics-json", json.toString(),
                "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        List<byte[]> frames = TestVideos.readYuv(out);
        assertEquals(20, frames.size());
        assertEquals("onnxruntime", new ObjectMapper().readTree(json.toFile()).get("engine").asText());
        double mean = meanLuma(frames.get(10), 64 * 48);
        assertTrue(mean > 60 && mean < 200, "fused luminance lies between the exposures': " + mean);
    }

    @Test
    void fusesABracketedStreamAtItsFrameRate() throws Exception {
        Path bracketed = TestVideos.write(dir.resolve("bracketed.mkv"), 64, 48, 30, 20, "ffv1",
                (i, x, y) -> (i % 2 == 0 ? 20 : 180) + (x + y) % 40);
        Path out = dir.resolve("bracketed-out.mkv");
        Path json = dir.resolve("bracketed.json");
        RunCommandTest.Result r = ivfuse("run", "--mode", "mef", "--bracketed", bracketed.toString(), "-o", out.toString(),
                "--engine", "mef-lut", "--codec", "ffv1", "--metrics-json", json.toString(), "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        List<byte[]> frames = TestVideos.readLuma(out);
        assertEquals(20, frames.size(), "one output frame per input frame");
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        assertEquals(19, s.get("paired").asInt(), "all but the first frame have a partner: " + s);
        // sliding pairs of the same two exposures: consecutive outputs barely differ
        double a = meanLuma(frames.get(9), 64 * 48);
        double b = meanLuma(frames.get(10), 64 * 48);
        assertEquals(a, b, 3.0, "no flicker between an under-driven and an over-driven output frame");
    }

    @Test
    void anOverExposureOfAnotherSizeIsResizedOntoTheUnderOne() throws Exception {
        Path small = TestVideos.write(dir.resolve("over-small.mkv"), 32, 24, 30, 20, "ffv1", (i, x, y) -> 200);
        Path out = dir.resolve("mef-sizes.mkv");
        InProcessRun r = run(under, small, out);
        assertOneWarning(r, "[WARN] exposures of different sizes: under input '" + under + "' is 64x48, over input '" + small
                + "' is 32x24; the over exposure is resized onto the under one");
        List<byte[]> frames = TestVideos.readYuv(out);
        assertEquals(20, frames.size());
        assertEquals(64 * 48 * 3 / 2, frames.get(0).length, "the output has the under exposure's size");
        // the whole frame is covered: the resized over exposure lifts the dark corner too
        assertTrue((frames.get(5)[64 * 47 + 63] & 0xFF) > 60, "bottom-right pixel " + (frames.get(5)[64 * 47 + 63] & 0xFF));
    }

    @Test
    void identicalExposuresAreWarnedOnceAndFused() throws Exception {
        Path out = dir.resolve("mef-identical.mkv");
        InProcessRun r = run(under, under, out);
        assertOneWarning(r, "[WARN] under input '" + under + "' and over input '" + under + "' are the same picture at frame 0:"
                + " not two exposures");
        assertEquals(20, TestVideos.readYuv(out).size(), "every frame fused");
    }

    @Test
    void anAllBlackOrAllWhiteExposureIsWarnedOnceNamingIt() throws Exception {
        // video-range black (16) and white (235): 0 and 255 in full range
        Path black = TestVideos.write(dir.resolve("black.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 16);
        Path white = TestVideos.write(dir.resolve("white.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 235);
        Path out = dir.resolve("mef-black.mkv");
        assertOneWarning(run(under, black, out), "[WARN] over input '" + black + "' is all black at frame 0 (luminance 0 to 0):"
                + " it adds no detail to the fusion");
        assertEquals(20, TestVideos.readYuv(out).size(), "every frame fused");
        Path out2 = dir.resolve("mef-white.mkv");
        assertOneWarning(run(white, over, out2), "[WARN] under input '" + white + "' is all white at frame 0");
        assertEquals(20, TestVideos.readYuv(out2).size(), "every frame fused");
    }

    @Test
    void aGrayExposureBesideAColourOneIsColourlessWithAWarning() throws Exception {
        Path gray = dir.resolve("over-gray.mkv");
        FfmpegCli.Result made = FfmpegCli.run(60, "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=s=64x48:r=30,lutyuv=y=180+val/8", "-frames:v", "20", "-pix_fmt", "gray", "-c:v", "ffv1", gray.toString());
        assertEquals(0, made.exitCode(), made.output());
        Path out = dir.resolve("mef-gray.mkv");
        // The two clips show different pictures, which ghost suppression would rightly take for motion
        // (and replace the gray one's chroma by the reference's there): off, to see the chroma rule alone.
        InProcessRun r = run(under, gray, out, "--deghost", "off");
        assertOneWarning(r, "[WARN] over input '" + gray + "' is gray and under input '" + under + "' colour: the gray exposure"
                + " is taken as colourless");
        List<byte[]> frames = TestVideos.readYuv(out);
        assertEquals(20, frames.size(), "every frame fused");
        // the under exposure's U (16 + frame, TestVideos) against the gray one's neutral 128: the colour one's wins
        assertEquals(26, frames.get(10)[64 * 48] & 0xFF, 2, "U of frame 10");
    }

    @Test
    void aBracketedStreamWhoseExposureNeverChanges() {
        assertRefused(ivfuse("run", "--mode", "mef", "--bracketed", under.toString(), "-o", dir.resolve("x.mkv").toString(),
                "--engine", "mef-lut", "--progress", "off"), "its exposure never changes");
    }

    @Test
    void anInfraredEngineInMefModeAndTheReverse() {
        assertRefused(ivfuse("run", "--mode", "mef", "--under", under.toString(), "--over", over.toString(),
                "-o", dir.resolve("y.mkv").toString(), "--engine", "max"), "engine 'max' does not support mode mef");
        assertRefused(ivfuse("run", "--ir", over.toString(), "--vis", under.toString(),
                "-o", dir.resolve("z.mkv").toString(), "--engine", "mef-lut"), "engine 'mef-lut' does not support mode ir-vis");
    }

    @Test
    void mefModeWithInfraredInputs() {
        assertRefused(ivfuse("run", "--mode", "mef", "--ir", over.toString(), "--vis", under.toString(),
                "-o", dir.resolve("w.mkv").toString()), "does not apply to fusion.mode mef");
    }

    /** {@code run --mode mef} of two exposure files with mef-lut into {@code out} (FFV1), its log captured. */
    private static InProcessRun run(Path underFile, Path overFile, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--mode", "mef", "--under", underFile.toString(),
                "--over", overFile.toString(), "-o", out.toString(), "--engine", "mef-lut", "--codec", "ffv1", "--progress", "off"));
        args.addAll(List.of(more));
        InProcessRun r = InProcessRun.execute(null, args);
        assertEquals(0, r.exit(), r.err() + r.log());
        return r;
    }

    /** Exactly one log line starts with {@code start}: the warning is given once, not per frame. */
    private static void assertOneWarning(InProcessRun r, String start) {
        List<String> lines = r.log().lines().filter(l -> l.startsWith(start)).toList();
        assertEquals(1, lines.size(), "one warning '" + start + "' in:\n" + r.log());
    }

    private static double meanLuma(byte[] frame, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += frame[i] & 0xFF;
        }
        return (double) sum / n;
    }
}
