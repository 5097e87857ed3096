package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.job.Natives;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.TestVideos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with a pair of mode mef (two exposure files): it runs to the files' end through the shared engine's exposure sessions. */
class ServeMefTest {
    @TempDir
    Path dir;

    @Test
    void anExposurePairIsServedInColour() throws Exception {
        Natives.fusionRun();
        Path under = TestVideos.write(dir.resolve("under.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 20 + (x + y + i) % 40);
        Path over = TestVideos.write(dir.resolve("over.mkv"), 64, 48, 30, 20, "ffv1", (i, x, y) -> 180 + (x + y + i) % 50);
        // block: serve's drop-oldest default would drop file frames the loaded machine cannot keep up with
        Path siteFile = Files.writeString(dir.resolve("mef.yaml"), """
                serve: {fusion_threads: 1}
                defaults: {output: {codec: ffv1}}
                pairs:
                  - id: m
                    input: {under: '%s', over: '%s'}
                    engine: mef-lut
                    overrides: {fusion: {mode: mef}, pipeline: {backpressure: block}}
                    outputs: ['%s']
                """.formatted(under, over, dir.resolve("m.mkv")));
        Service service = new Service(siteFile, SiteConfig.load(siteFile), new PrintWriter(new StringWriter()));
        try (ServeHttp http = new ServeHttp(service, "127.0.0.1", 0, null)) {
            service.start();
            ServeClient api = new ServeClient(http.port(), null);
            // only the settled states: while one input opens before the other the pair is briefly "ir-down"
            Deadline.within(30, TimeUnit.SECONDS).until("the pair ran to the end of its files",
                    () -> List.of("stopped", "failed").contains(api.get("/api/pairs/m").json().get("state").asText()));
            JsonNode pair = api.get("/api/pairs/m").json();
            assertEquals("stopped", pair.get("state").asText(), pair.toString());
        } finally {
            service.close();
        }
        List<byte[]> frames = TestVideos.readYuv(dir.resolve("m.mkv"));
        assertEquals(20, frames.size(), "every frame fused");
        long sum = 0;
        for (int i = 0; i < 64 * 48; i++) {
            sum += frames.get(10)[i] & 0xFF;
        }
        double mean = sum / (64.0 * 48);
        assertTrue(mean > 60 && mean < 200, "fused luminance lies between the exposures': " + mean);
        assertEquals(26, frames.get(10)[64 * 48] & 0xFF, 2, "the exposures' chroma (U = 16 + frame) is blended, not dropped");
    }
}
