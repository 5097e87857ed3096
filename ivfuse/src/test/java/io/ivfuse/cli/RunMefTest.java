package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        RunCommandTest.Result r = ivfuse("run", "--mode", "mef", "--under", under.toString(), "--over", small.toString(),
                "-o", out.toString(), "--engine", "mef-lut", "--codec", "ffv1", "--progress", "off");
        assertEquals(0, r.exit(), r.err());
        List<byte[]> frames = TestVideos.readYuv(out);
        assertEquals(20, frames.size());
        assertEquals(64 * 48 * 3 / 2, frames.get(0).length, "the output has the under exposure's size");
        // the whole frame is covered: the resized over exposure lifts the dark corner too
        assertTrue((frames.get(5)[64 * 47 + 63] & 0xFF) > 60, "bottom-right pixel " + (frames.get(5)[64 * 47 + 63] & 0xFF));
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

    private static double meanLuma(byte[] frame, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += frame[i] & 0xFF;
        }
        return (double) sum / n;
    }
}
