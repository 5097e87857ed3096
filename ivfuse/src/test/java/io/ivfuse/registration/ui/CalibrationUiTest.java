package io.ivfuse.registration.ui;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.job.Natives;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.HeadlessChromium;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ivfuse calibrate --ui} as a user drives it: the command in a process of its own, its page
 * in headless chromium, point pairs clicked with the mouse on an IR image made from a TNO visible
 * image by a known homography.
 */
class CalibrationUiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "calibrate-ui");
    private static final FrameSize IR_SIZE = new FrameSize(320, 240);
    private static final FrameSize VIS_SIZE = new FrameSize(480, 360);
    /** IR pixels to visible pixels: scale 1.3, 3 degrees of rotation, a shift and a slight tilt. */
    private static final Homography TRUTH = Homography.of(1.3 * Math.cos(0.0524), -1.3 * Math.sin(0.0524), 40,
            1.3 * Math.sin(0.0524), 1.3 * Math.cos(0.0524), 20, 3e-5, -2e-5, 1);
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/");

    private static HeadlessChromium browser;

    @TempDir
    Path dir;
    private Path output;
    private Process process;

    @BeforeAll
    static void start() {
        if (HeadlessChromium.unavailableReason().isEmpty()) { // otherwise each test skips (or fails in CI), saying why
            browser = HeadlessChromium.launch();
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void images() {
        HeadlessChromium.assumeAvailable();
        Path source = SharedFiles.require("data/tno/vis/01.png");
        Natives.opencv();
        try (Mat full = imread(source.toString(), IMREAD_GRAYSCALE); Mat vis = new Mat(); Mat ir = new Mat();
                Size visSize = new Size(VIS_SIZE.width(), VIS_SIZE.height());
                Size irSize = new Size(IR_SIZE.width(), IR_SIZE.height()); Mat h = TRUTH.toMat();
                Scalar black = new Scalar(0.0)) {
            resize(full, vis, visSize, 0, 0, INTER_AREA);
            warpPerspective(vis, ir, h, irSize, INTER_LINEAR | WARP_INVERSE_MAP, 0, black); // IR(p) = vis(H p)
            imwrite(dir.resolve("ir.png").toString(), ir);
            imwrite(dir.resolve("vis.png").toString(), vis);
        }
        output = dir.resolve("calib.yaml");
        browser.clearLogs();
    }

    @AfterEach
    void cleanUp(TestInfo test) {
        if (process != null) {
            process.destroyForcibly();
        }
        if (browser != null) {
            browser.screenshot(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"));
            browser.navigate("about:blank");
        }
    }

    @Test
    void clickedPairsShowTheirErrorsAndSaveTheHomography() throws Exception {
        openPage();
        double[][] irPoints = {{30, 25}, {290, 30}, {160, 120}, {40, 215}, {285, 210}};
        for (int i = 0; i < 3; i++) {
            clickPair(irPoints[i], TRUTH);
        }
        awaitFit("waiting", 3);
        assertEquals("3 pairs: a homography needs at least 4", text("#summary"));
        clickPair(irPoints[3], TRUTH);
        clickPair(irPoints[4], TRUTH);
        awaitFit("ok", 5);
        assertClickedAt(irPoints);

        // A sixth pair 25 px off: an outlier, marked in the table and on both images.
        clickPair(new double[] {110, 170}, TRUTH, 20, -15);
        awaitFit("ok", 6);
        assertEquals(List.of("", "", "", "", "", "outlier"), rowClasses());
        assertEquals(2, browser.evaluate("document.querySelectorAll('.mark.outlier').length").asInt());
        double rms = browser.evaluate("Number(document.getElementById('summary').dataset.rms)").asDouble();
        assertTrue(rms < 1.0, "the clicks are within a pixel of the true positions, RMS " + rms);
        assertEquals(rms, rmsOfShownInlierErrors(), 0.01, "the RMS shown is that of the per-pair errors shown");
        assertTrue(text("#summary").startsWith(String.format(Locale.ROOT,
                "RMS reprojection error %.2f px over 6 pairs (1 outlier,", rms)), text("#summary"));
        browser.waitFor("the preview", "!document.getElementById('preview-section').hidden"
                + " && document.getElementById('preview').naturalWidth === " + 2 * VIS_SIZE.width(), WAIT);

        browser.click("tr[data-pair='6'] button.delete");
        awaitFit("ok", 5);
        assertEquals(List.of("", "", "", "", ""), rowClasses());
        // Undo takes back a pending click.
        browser.clickAt("#ir-marks", 0.5, 0.5);
        assertEquals(1, browser.evaluate("document.querySelectorAll('.mark.pending').length").asInt());
        browser.click("#undo");
        assertEquals(0, browser.evaluate("document.querySelectorAll('.mark.pending').length").asInt());

        browser.click("#save");
        browser.waitFor("the page to say it saved", "document.body.dataset.fit === 'saved'", WAIT);
        assertTrue(text("#message").startsWith("Saved " + output + " and " + dir.resolve("calib.overlay.png")),
                text("#message"));
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the command exits after Save");
        assertEquals(0, process.exitValue(), stdout() + stderr());
        assertTrue(stdout().contains("RMS reprojection error ") && stdout().contains("wrote " + output), stdout());
        assertTrue(Files.size(dir.resolve("calib.overlay.png")) > 0);
        Calibration saved = Calibration.load(output);
        double error = saved.forFrames(IR_SIZE, VIS_SIZE).meanDistance(TRUTH, IR_SIZE);
        assertTrue(error < 1.0, "the saved homography is within " + error + " px of the true one: " + saved);
        assertEquals(List.of(), browser.consoleErrors());
        assertEquals(List.of(), browser.failedRequests());
    }

    @Test
    void tooFewAndCollinearPairsAreRefusedInThePageAndNothingIsWritten() throws Exception {
        openPage();
        double[][] onALine = {{20, 20}, {100, 70}, {180, 120}, {260, 170}};
        for (int i = 0; i < 3; i++) {
            clickPair(onALine[i], TRUTH);
        }
        browser.click("#save");
        browser.waitFor("the refusal", "document.getElementById('message').className === 'error'", WAIT);
        assertEquals("Not saved: 3 point pairs given; a homography needs at least 4", text("#message"));
        clickPair(onALine[3], TRUTH);
        awaitFit("error", 4);
        assertTrue(text("#message").startsWith("the IR points are collinear"), text("#message"));
        browser.click("#save");
        browser.waitFor("the refusal", "document.getElementById('message').textContent.startsWith('Not saved: the IR"
                + " points are collinear')", WAIT);
        assertTrue(process.isAlive(), "a refused save leaves the page running");

        browser.click("#quit");
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the command exits when the page is quit");
        assertEquals(2, process.exitValue(), stdout() + stderr());
        assertTrue(stderr().contains("quit without saving: nothing written"), stderr());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("ir.png", "out.txt", "err.txt", "vis.png").stream().sorted().toList(),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(), browser.consoleErrors());
        for (String failed : browser.failedRequests()) {
            assertTrue(failed.matches("400 POST http://127\\.0\\.0\\.1:\\d+/api/(fit|save)"), failed);
        }
    }

    /** Starts {@code ivfuse calibrate --ui} and opens the address it prints. */
    private void openPage() throws IOException {
        Path out = dir.resolve("out.txt");
        process = new ProcessBuilder(IvfuseProcess.command("calibrate", "--ui", "--ir", dir.resolve("ir.png").toString(),
                "--vis", dir.resolve("vis.png").toString(), "-o", output.toString()))
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        String[] url = new String[1];
        Deadline.within(60, TimeUnit.SECONDS).until("the command to print the page's address", () -> {
            Matcher m = URL.matcher(stdout());
            url[0] = m.find() ? m.group() : null;
            return url[0] != null || !process.isAlive();
        });
        assertTrue(process.isAlive(), "calibrate --ui exited: " + stdout() + stderr());
        browser.navigate(url[0]);
        browser.waitFor("the page to start", "document.body.dataset.ready === 'true'", WAIT);
    }

    private void clickPair(double[] ir, Homography irToVis) {
        clickPair(ir, irToVis, 0, 0);
    }

    /** Clicks {@code ir} in the IR image, then its image by {@code irToVis}, moved by (dx, dy), in the visible one. */
    private void clickPair(double[] ir, Homography irToVis, double dx, double dy) {
        double[] vis = new double[3];
        irToVis.apply(ir[0], ir[1], vis);
        clickPixel("#ir-marks", ir[0], ir[1], IR_SIZE);
        clickPixel("#vis-marks", vis[0] + dx, vis[1] + dy, VIS_SIZE);
    }

    /** A click on the image pixel (x, y): the image spans -0.5 to size - 0.5. */
    private static void clickPixel(String overlay, double x, double y, FrameSize size) {
        browser.clickAt(overlay, (x + 0.5) / size.width(), (y + 0.5) / size.height());
    }

    private static void awaitFit(String state, int pairs) {
        browser.waitFor("the page's fit of " + pairs + " pairs to be " + state, "document.body.dataset.fit === '" + state
                + "' && document.querySelectorAll('#pairs tbody tr').length === " + pairs, WAIT);
    }

    /** The IR points in the table are where the test clicked, within the click's rounding to a CSS pixel. */
    private static void assertClickedAt(double[][] irPoints) {
        for (int i = 0; i < irPoints.length; i++) {
            String[] xy = browser.evaluate("document.querySelector(\"tr[data-pair='" + (i + 1) + "']\").cells[1].textContent")
                    .asText().split(",\\s*");
            assertEquals(irPoints[i][0], Double.parseDouble(xy[0]), 1.0, "pair " + (i + 1) + " x");
            assertEquals(irPoints[i][1], Double.parseDouble(xy[1]), 1.0, "pair " + (i + 1) + " y");
        }
    }

    private static List<String> rowClasses() {
        List<String> out = new ArrayList<>();
        browser.evaluate("[...document.querySelectorAll('#pairs tbody tr')].map(r => r.className)").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static double rmsOfShownInlierErrors() {
        return browser.evaluate("(() => { const e = [...document.querySelectorAll('#pairs tbody tr:not(.outlier)')]"
                + ".map(r => parseFloat(r.cells[3].textContent)); return Math.sqrt(e.reduce((s, v) => s + v * v, 0) / e.length); })()")
                .asDouble();
    }

    private static String text(String selector) {
        return browser.evaluate("document.querySelector(" + HeadlessChromium.quote(selector) + ").textContent").asText();
    }

    private String stdout() {
        return read(dir.resolve("out.txt"));
    }

    private String stderr() {
        return read(dir.resolve("err.txt"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
