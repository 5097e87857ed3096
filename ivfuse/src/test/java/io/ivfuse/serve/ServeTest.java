package io.ivfuse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.job.Natives;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.CameraClips;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.RtspTestServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service of three camera pairs against real RTSP cameras on 127.0.0.1 (GStreamer's test server,
 * real time), driven over HTTP as an operator would: readiness, Prometheus metrics parsed with their
 * labels, JMX, snapshots, the control API and its errors, the token, a reload that touches only the
 * changed pair, a killed camera server, and a stop that leaves every output finished.
 */
class ServeTest {
    static final String TOKEN = "serve-test-token-7f3a";
    @TempDir
    static Path dir;
    static CameraClips clips;

    @BeforeAll
    static void clips() {
        clips = CameraClips.write(dir);
        Natives.fusionRun();
    }

    /** A site: average fusion into {id}.mkv, fast fault detection, the drift watch on, one pair per camera pair given. */
    static String site(Path out, Map<String, String[]> pairs, Map<String, String> engines) {
        StringBuilder y = new StringBuilder("""
                serve: {fusion_threads: 2}
                defaults:
                  input: {live: {timeout_ms: 2000, stall_timeout_ms: 1500, reconnect_initial_ms: 200, reconnect_max_ms: 1000}}
                  fusion: {engine: average}
                  output: {codec: mpeg4, overwrite: true}
                  registration: {check: {enabled: true, every: 10}}
                """);
        y.append("  outputs: ['").append(out).append("/{id}.mkv']\npairs:\n");
        pairs.forEach((id, urls) -> {
            y.append("  - id: ").append(id).append("\n    input: {vis: '").append(urls[0]).append("', ir: '").append(urls[1]).append("'}\n");
            if (engines.containsKey(id)) {
                y.append("    engine: ").append(engines.get(id)).append('\n');
            }
        });
        return y.toString();
    }

    static Map<String, String[]> ordered(Object... idsAndUrls) {
        Map<String, String[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < idsAndUrls.length; i += 2) {
            m.put((String) idsAndUrls[i], (String[]) idsAndUrls[i + 1]);
        }
        return m;
    }

    @Test
    void threePairsAreServedObservedControlledReloadedAndStoppedCleanly() throws Exception {
        Path out = Files.createDirectories(dir.resolve("three"));
        try (RtspTestServer ab = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null);
             RtspTestServer c = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            Map<String, String[]> pairs = ordered(
                    "a", new String[] {ab.url("vis"), ab.url("ir")},
                    "b", new String[] {ab.url("vis"), ab.url("ir")},
                    "c", new String[] {c.url("vis"), c.url("ir")});
            Path siteFile = Files.writeString(dir.resolve("three.yaml"), site(out, pairs, Map.of()));
            StringWriter console = new StringWriter();
            Service service = new Service(siteFile, SiteConfig.load(siteFile), new PrintWriter(console, true));
            try (ServeHttp http = new ServeHttp(service, "127.0.0.1", 0, TOKEN)) {
                service.start();
                ServeClient api = new ServeClient(http.port(), TOKEN);
                Deadline.within(30, TimeUnit.SECONDS).until("every pair is online (/health/ready 200)",
                        () -> api.withoutToken().get("/health/ready").status() == 200);
                assertEquals("ok", api.withoutToken().get("/health/live").json().get("status").asText());

                // Token: data and control need it; the probes and the page's files don't.
                assertEquals(401, api.withoutToken().get("/api/pairs").status());
                assertEquals(401, api.withoutToken().get("/metrics").status());
                assertEquals(401, new ServeClient(http.port(), "wrong").get("/api/pairs").status());
                ServeClient.Reply css = api.withoutToken().get("/status/serve-test-probe.css");
                assertEquals(200, css.status());
                assertTrue(css.contentType().startsWith("text/css"), css.contentType());
                assertEquals(404, api.withoutToken().get("/status/none.js").status());

                JsonNode list = api.get("/api/pairs").json().get("pairs");
                assertEquals(List.of("a", "b", "c"), ids(list));
                for (JsonNode p : list) {
                    assertEquals("online", p.get("state").asText(), p.toString());
                    assertEquals("average", p.get("engine").asText());
                    assertEquals(out.resolve(p.get("id").asText() + ".mkv").toString(), p.get("outputs").get(0).asText());
                }
                Deadline.within(20, TimeUnit.SECONDS).until("every pair has fused 30 frames",
                        () -> ids(api.get("/api/pairs").json().get("pairs")).stream()
                                .allMatch(id -> api.get("/api/pairs/" + id).json().get("frames").asLong() >= 30));

                metricsCarryAPairLabel(api, List.of("a", "b", "c"));
                oneMBeanTreeWithAKeyPerPair(List.of("a", "b", "c"));
                assertTrue(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                        .anyMatch(n -> n.startsWith("ivfuse-fuse-0@b")), "thread names carry the pair id");
                snapshots(api);
                badRequests(api);
                addAndRemove(api, ab, out);
                reloadRestartsOnlyTheChangedPair(api, service, siteFile, out, pairs);

                // A camera server dies: that pair's readiness goes, the others keep producing.
                c.kill();
                Deadline.within(15, TimeUnit.SECONDS).until("/health/ready is 503 naming pair c",
                        () -> {
                            ServeClient.Reply r = api.withoutToken().get("/health/ready");
                            return r.status() == 503 && r.json().get("pairs").has("c") && r.json().get("pairs").size() == 1;
                        });
                long aFrames = api.get("/api/pairs/a").json().get("frames").asLong();
                Deadline.within(10, TimeUnit.SECONDS).until("pair a keeps fusing",
                        () -> api.get("/api/pairs/a").json().get("frames").asLong() > aFrames + 15);
                assertEquals("online", api.get("/api/pairs/a").json().get("state").asText());
            } finally {
                service.close();
            }
            for (String id : List.of("a", "b", "c")) {
                Path file = out.resolve(id + ".mkv");
                assertTrue(FfmpegCli.countFrames(file.toString(), 60) > 10, "the output of " + id + " is finished and readable");
            }
            assertFalse(console.toString().contains("Exception"), console.toString());
        }
    }

    private static List<String> ids(JsonNode pairs) {
        return StreamSupport.stream(pairs.spliterator(), false).map(p -> p.get("id").asText()).collect(Collectors.toList());
    }

    private static void metricsCarryAPairLabel(ServeClient api, List<String> ids) {
        ServeClient.Reply r = api.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        PrometheusText m = PrometheusText.parse(r.text());
        for (String id : ids) {
            Map<String, String> pair = Map.of("pair", id);
            assertTrue(m.one("ivfuse_fused_frames_total", pair).value() >= 30, id);
            for (String input : List.of("ir", "vis")) {
                Map<String, String> in = Map.of("pair", id, "input", input);
                assertTrue(m.one("ivfuse_input_frames_total", in).value() > 0, id + " " + input);
                assertEquals(1.0, m.one("ivfuse_input_online", in).value(), id + " " + input);
                assertEquals(0.0, m.one("ivfuse_input_reconnects_total", in).value());
                assertEquals(0.0, m.one("ivfuse_input_stalls_total", in).value());
                assertTrue(m.one("ivfuse_input_decode", Map.of("pair", id, "input", input, "quantile", "0.5")).value() > 0);
            }
            for (String stage : List.of("ivfuse_stage_fuse", "ivfuse_stage_encode", "ivfuse_stage_register", "ivfuse_latency")) {
                assertTrue(m.one(stage, Map.of("pair", id, "quantile", "0.99")).value() > 0, stage + " of " + id);
                assertTrue(m.one(stage + "_count", pair).value() > 0, stage + " of " + id);
            }
            m.one("ivfuse_registration_alignment", pair); // the drift watch's gauge, per pair
            m.one("ivfuse_sync_held_total", pair);
            m.one("ivfuse_sync_dropped_total", pair);
            m.one("ivfuse_ring_dropped_total", pair);
            assertTrue(m.one("ivfuse_ring_occupancy", pair).value() >= 0);
            assertEquals(0.0, m.one("ivfuse_output_dropped_total", Map.of("pair", id, "output", "o0")).value());
            assertTrue(m.one("ivfuse_output_frames_total", Map.of("pair", id, "output", "o0")).value() > 0);
            assertEquals(1.0, m.one("ivfuse_pair_online", pair).value());
            assertEquals(0.0, m.one("ivfuse_pair_restarts_total", pair).value());
        }
        // Every per-pair series has its pair; the service's own have none.
        for (PrometheusText.Sample s : m.samples()) {
            if (s.name().startsWith("ivfuse_serve_")) {
                assertFalse(s.labels().containsKey("pair"), s.toString());
            } else {
                assertTrue(ids.contains(s.labels().get("pair")), "a pair label on " + s);
            }
        }
        assertEquals(1.0, m.one("ivfuse_serve_engines_loaded", Map.of()).value(), "three pairs of average share one engine");
        assertEquals(3.0, m.one("ivfuse_serve_pairs", Map.of()).value());
    }

    private static void oneMBeanTreeWithAKeyPerPair(List<String> ids) throws Exception {
        Set<ObjectName> all = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("ivfuse:*"), null);
        for (String id : ids) {
            ObjectName latency = new ObjectName("ivfuse:pair=" + id + ",name=ivfuse.latency,type=timers");
            assertTrue(all.contains(latency), "JMX has " + latency);
            Object count = ManagementFactory.getPlatformMBeanServer().getAttribute(latency, "Count");
            assertTrue(((Number) count).longValue() > 0);
        }
    }

    private static void snapshots(ServeClient api) throws Exception {
        Map<String, Integer> widths = Map.of("", 320, "?view=fused", 320, "?view=ir", 320, "?view=vis", 320,
                "?view=side-by-side", 960);
        for (Map.Entry<String, Integer> v : widths.entrySet()) {
            ServeClient.Reply r = api.get("/api/pairs/a/snapshot.jpg" + v.getKey());
            assertEquals(200, r.status(), v.getKey() + ": " + r.text());
            assertEquals("image/jpeg", r.contentType());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertNotNull(img, "a JPEG for " + v.getKey());
            assertEquals(v.getValue(), img.getWidth(), v.getKey());
            assertEquals(240, img.getHeight());
        }
        assertEquals(400, api.get("/api/pairs/a/snapshot.jpg?view=thermal").status());
        assertEquals(404, api.get("/api/pairs/zz/snapshot.jpg").status());
    }

    private static void badRequests(ServeClient api) {
        ServeClient.Reply bad = api.post("/api/pairs", "{\"id\": \"x\", ");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().contains("not valid JSON"), bad.text());
        ServeClient.Reply unknown = api.post("/api/pairs", "{\"id\": \"x\", \"engin\": \"average\"}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("error").asText().contains("'engin'"), unknown.text());
        ServeClient.Reply noInput = api.post("/api/pairs", "{\"id\": \"x\"}");
        assertEquals(400, noInput.status());
        assertTrue(noInput.json().get("error").asText().contains("input.ir"), noInput.text());
        ServeClient.Reply badId = api.post("/api/pairs", "{\"id\": \"../x\"}");
        assertEquals(400, badId.status());
        assertTrue(badId.json().get("error").asText().contains("pair.id"), badId.text());
        assertEquals(409, api.post("/api/pairs", "{\"id\": \"a\", \"input\": {\"ir\": \"x.mp4\", \"vis\": \"y.mp4\"}}").status());
        assertEquals(404, api.get("/api/pairs/nope").status());
        assertEquals(404, api.delete("/api/pairs/nope").status());
        assertEquals(404, api.post("/api/pairs/nope/restart", "").status());
        assertEquals(405, api.delete("/api/pairs").status());
        assertEquals(404, api.get("/api/nothing").status());
    }

    private static void addAndRemove(ServeClient api, RtspTestServer server, Path out) throws Exception {
        String entry = "{\"id\": \"d\", \"engine\": \"laplacian\", \"input\": {\"vis\": \"" + server.url("vis") + "\", \"ir\": \""
                + server.url("ir") + "\"}}";
        ServeClient.Reply added = api.post("/api/pairs", entry);
        assertEquals(201, added.status(), added.text());
        assertEquals("d", added.json().get("id").asText());
        assertEquals(List.of("a", "b", "c", "d"), ids(api.get("/api/pairs").json().get("pairs")));
        Deadline.within(20, TimeUnit.SECONDS).until("the added pair fuses",
                () -> api.get("/api/pairs/d").json().get("frames").asLong() >= 15);
        assertEquals(204, api.delete("/api/pairs/d").status());
        assertEquals(List.of("a", "b", "c"), ids(api.get("/api/pairs").json().get("pairs")));
        assertEquals(404, api.get("/api/pairs/d").status());
        PrometheusText m = PrometheusText.parse(api.get("/metrics").text());
        assertTrue(m.samples().stream().noneMatch(s -> "d".equals(s.labels().get("pair"))), "a removed pair's series are gone");
        assertEquals(1.0, m.one("ivfuse_serve_engines_loaded", Map.of()).value(), "its laplacian engine was closed");
        assertTrue(FfmpegCli.countFrames(out.resolve("d.mkv").toString(), 60) >= 15, "the removed pair's output is finished");
    }

    private static void reloadRestartsOnlyTheChangedPair(ServeClient api, Service service, Path siteFile, Path out,
                                                         Map<String, String[]> pairs) throws Exception {
        PipelineMetrics aRun = service.pair("a").metrics();
        PipelineMetrics cRun = service.pair("c").metrics();
        Files.writeString(siteFile, site(out, pairs, Map.of("b", "laplacian")));
        ServeClient.Reply r = api.post("/api/reload", "");
        assertEquals(200, r.status(), r.text());
        JsonNode j = r.json();
        assertEquals("[\"b\"]", j.get("restarted").toString());
        assertEquals("[\"a\",\"c\"]", j.get("unchanged").toString());
        assertEquals(0, j.get("started").size());
        assertEquals(0, j.get("stopped").size());
        assertSame(aRun, service.pair("a").metrics(), "pair a kept running, untouched");
        assertSame(cRun, service.pair("c").metrics(), "pair c kept running, untouched");
        JsonNode b = api.get("/api/pairs/b").json();
        assertEquals("laplacian", b.get("engine").asText());
        assertEquals(1, b.get("restarts").asLong());
        assertEquals(0, api.get("/api/pairs/a").json().get("restarts").asLong());
        Deadline.within(20, TimeUnit.SECONDS).until("b is back online", () -> service.notReady().isEmpty());

        Files.writeString(siteFile, "pairs:\n  - {id: b, engine: [\n");
        ServeClient.Reply malformed = api.post("/api/reload", "");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().get("error").asText().contains("running config stays"), malformed.text());
        assertTrue(malformed.json().get("error").asText().contains(siteFile.toString()), malformed.text());
        assertEquals(List.of("a", "b", "c"), ids(api.get("/api/pairs").json().get("pairs")));
        assertEquals("laplacian", api.get("/api/pairs/b").json().get("engine").asText());
        assertSame(aRun, service.pair("a").metrics());
    }

    @Test
    void aPairThatCannotRunIsMarkedFailedWhileTheOthersRun() throws Exception {
        Path out = Files.createDirectories(dir.resolve("failed"));
        try (RtspTestServer server = RtspTestServer.start(Map.of("vis", clips.visible(), "ir", clips.infrared()), null)) {
            StringBuilder y = new StringBuilder(site(out, ordered("ok", new String[] {server.url("vis"), server.url("ir")}), Map.of()));
            y.append("  - id: nocal\n    input: {vis: '").append(server.url("vis")).append("', ir: '").append(server.url("ir"))
                    .append("'}\n    calibration: ").append(dir.resolve("missing-calibration.yaml")).append('\n');
            y.append("  - id: badurl\n    input: {vis: 'gopher://127.0.0.1/vis', ir: '").append(server.url("ir")).append("'}\n");
            // An engine that throws at its 10th frame: the pipeline crashes, and is restarted, again and again.
            y.append("  - id: crashy\n    input: {vis: '").append(server.url("vis")).append("', ir: '").append(server.url("ir"))
                    .append("'}\n    engine: test-fail\n    overrides: {fusion: {params: {at: '10'}}}\n");
            Path siteFile = Files.writeString(dir.resolve("failed.yaml"), y.toString());
            Service service = new Service(siteFile, SiteConfig.load(siteFile), new PrintWriter(new StringWriter()));
            try (ServeHttp http = new ServeHttp(service, "127.0.0.1", 0, null)) {
                service.start();
                ServeClient api = new ServeClient(http.port(), null);
                Deadline.within(30, TimeUnit.SECONDS).until("pair ok fuses", () -> api.get("/api/pairs/ok").json().get("frames").asLong() > 15);
                Deadline.within(30, TimeUnit.SECONDS).until("the crashing pair was restarted twice",
                        () -> api.get("/api/pairs/crashy").json().get("restarts").asLong() >= 2);
                JsonNode crashy = api.get("/api/pairs/crashy").json();
                assertTrue(crashy.get("state").asText().equals("starting") || crashy.get("state").asText().equals("online"), crashy.toString());
                PrometheusText m = PrometheusText.parse(api.get("/metrics").text());
                assertTrue(m.one("ivfuse_pair_restarts_total", Map.of("pair", "crashy")).value() >= 2);
                assertEquals(0.0, m.one("ivfuse_pair_restarts_total", Map.of("pair", "ok")).value());
                JsonNode nocal = api.get("/api/pairs/nocal").json();
                assertEquals("failed", nocal.get("state").asText());
                assertTrue(nocal.get("reason").asText().contains("missing-calibration.yaml"), nocal.toString());
                JsonNode badurl = api.get("/api/pairs/badurl").json();
                assertEquals("failed", badurl.get("state").asText());
                assertTrue(badurl.get("reason").asText().contains("gopher"), badurl.toString());
                ServeClient.Reply ready = api.get("/health/ready");
                assertEquals(503, ready.status());
                List<String> waiting = iterable(ready.json().get("pairs").fieldNames());
                assertTrue(waiting.containsAll(List.of("nocal", "badurl")) && !waiting.contains("ok"), ready.text());
                assertTrue(ready.json().get("pairs").get("nocal").asText().contains("missing-calibration.yaml"), ready.text());
                assertEquals("online", api.get("/api/pairs/ok").json().get("state").asText());
                assertEquals(0, api.get("/api/pairs/ok").json().get("restarts").asLong(), "the crashes did not touch pair ok");
            } finally {
                service.close();
            }
        }
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
