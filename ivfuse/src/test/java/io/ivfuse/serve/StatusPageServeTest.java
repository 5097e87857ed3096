package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.job.Natives;
import io.ivfuse.serve.status.StatusPage;
import io.ivfuse.testing.CameraClips;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.HeadlessChromium;
import io.ivfuse.testing.RtspTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless chromium against the real service: two pairs fed by an RTSP
 * camera on 127.0.0.1, a tile each with its snapshot, and a pair removed from the page is gone from
 * the page and from the service.
 */
class StatusPageServeTest {
    @TempDir
    Path dir;

    @Test
    void thePageShowsEveryPairAndRemovesOne() throws Exception {
        HeadlessChromium.assumeAvailable();
        CameraClips clips = CameraClips.write(dir);
        Natives.fusionRun();
        Path out = Files.createDirectories(dir.resolve("out"));
        try (RtspTestServer camera = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            String[] urls = {camera.url("vis"), camera.url("ir")};
            Path siteFile = Files.writeString(dir.resolve("site.yaml"),
                    ServeTest.site(out, ServeTest.ordered("gate", urls, "yard", urls), Map.of()));
            Service service = new Service(siteFile, SiteConfig.load(siteFile), new PrintWriter(new StringWriter(), true));
            try (ServeHttp http = new ServeHttp(service, "127.0.0.1", 0, null);
                 HeadlessChromium browser = HeadlessChromium.launch()) {
                service.start();
                ServeClient api = new ServeClient(http.port(), null);
                Deadline.within(30, TimeUnit.SECONDS).until("both pairs online", () -> api.get("/health/ready").status() == 200);
                StatusPage page = new StatusPage(browser, "http://127.0.0.1:" + http.port());
                page.open(0.5);
                assertEquals(List.of("gate", "yard"), page.tileIds());
                for (String id : List.of("gate", "yard")) {
                    Deadline.within(10, TimeUnit.SECONDS).until(id + " shown online", () -> page.state(id).equals("online"));
                    int[] size = page.awaitSnapshot(id);
                    assertTrue(size[0] > 0 && size[1] > 0, id + " snapshot " + size[0] + "x" + size[1]);
                }
                page.remove("yard");
                page.awaitNoTile("yard");
                assertEquals(404, api.get("/api/pairs/yard").status());
                assertEquals(List.of("gate"), page.tileIds());
                assertEquals(List.of(), browser.consoleErrors(), "console errors");
            } finally {
                service.close();
            }
        }
    }
}
