package io.ivfuse.registration.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.PointCalibrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's API without a browser: what it refuses, and that a refused save writes nothing. */
class CalibrationUiApiTest {
    private static final String FOUR_PAIRS = "[[10,10,22,21],[300,15,312,26],[20,220,32,231],[310,230,322,241]]";

    private final List<PointCalibrator.Fit> saved = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Mat ir;
    private Mat vis;
    private CalibrationUi ui;

    @BeforeEach
    void start() {
        Natives.opencv();
        ir = new Mat(240, 320, opencv_core.CV_8UC1, new Scalar(90.0));
        vis = new Mat(260, 340, opencv_core.CV_8UC1, new Scalar(40.0));
        ui = new CalibrationUi(ir, vis, Calibration.Model.HOMOGRAPHY, 0, fit -> {
            saved.add(fit);
            return List.of(Path.of("calib.yaml"));
        });
    }

    @AfterEach
    void stop() {
        ui.close();
        ir.close();
        vis.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ui.url() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPointOutsideTheImageIsRefusedAndNotSaved() throws Exception {
        HttpResponse<String> r = post("api/save", "{\"pairs\": [[10,10,22,21],[300,15,312,26],[20,220,32,231],[330,230,342,241]]}");
        assertEquals(400, r.statusCode());
        assertEquals("{\"error\":\"point pair 4: IR point (330.0, 230.0) is outside the IR image (320x240)\"}", r.body());
        assertEquals(List.of(), saved);
    }

    @Test
    void malformedPairsAreNamed() throws Exception {
        assertEquals("{\"error\":\"point pair 2: expected [x_ir, y_ir, x_vis, y_vis], got [1,2,3]\"}",
                post("api/fit", "{\"pairs\": [[1,2,3,4],[1,2,3]]}").body());
        assertEquals("{\"error\":\"the request has no 'pairs' array\"}", post("api/fit", "{}").body());
    }

    @Test
    void aSaveAnswersWithTheFitAndEndsTheWait() throws Exception {
        HttpResponse<String> r = post("api/save", "{\"pairs\": " + FOUR_PAIRS + "}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"written\":[\"calib.yaml\"]"), r.body());
        PointCalibrator.Fit fit = ui.awaitSave();
        assertEquals(1, saved.size());
        assertEquals(12.0, fit.calibration().irToVis().get(0, 2), 1e-6);
    }

    @Test
    void quittingEndsTheWaitWithoutSaving() throws Exception {
        assertEquals(200, post("api/quit", "{}").statusCode());
        IvfuseException e = assertThrows(IvfuseException.class, ui::awaitSave);
        assertEquals("the calibration page was quit without saving: nothing written", e.getMessage());
        assertEquals(List.of(), saved);
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(ui.url() + "api/save"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"pairs\": " + FOUR_PAIRS + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode(), "a body another site's page could send without asking (CORS)");
        assertEquals(List.of(), saved);
    }
}
