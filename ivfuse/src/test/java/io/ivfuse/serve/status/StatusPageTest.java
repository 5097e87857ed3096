package io.ivfuse.serve.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The status page (src/main/resources/io/ivfuse/serve/status) in a real headless chromium, served
 * as the issue 14 contract says by {@link StatusPageServer}, whose pairs the tests change under the
 * running page.
 */
class StatusPageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path SCREENSHOTS = Path.of("target", "status-page");
    private static StatusPageServer server;
    private static HeadlessChromium browser;
    private static StatusPage page;

    /** Failed requests a test expects ("STATUS METHOD URL" patterns); any other fails it. */
    private final List<Pattern> expectedFailures = new ArrayList<>();

    @BeforeAll
    static void start() {
        if (HeadlessChromium.unavailableReason().isEmpty()) { // otherwise each test skips (or fails in CI), saying why
            CompletableFuture<Void> cards = CompletableFuture.runAsync(StatusPageServer::prepareTestCards);
            browser = HeadlessChromium.launch();
            server = StatusPageServer.start();
            page = new StatusPage(browser, server.url("/"));
            cards.join();
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshPage() {
        HeadlessChromium.assumeAvailable();
        server.reset();
        // No token or settings from the last test, whose page (of this origin) is still open. (A
        // browser.newPage() would do it too, but costs a new renderer: 1-1.5 s a test here.)
        if (browser.evaluate("location.origin").asText().equals(server.url(""))) {
            browser.evaluate("sessionStorage.clear(); localStorage.clear()");
        }
        browser.navigate("about:blank");
        browser.resetViewport();
        browser.clearLogs();
        server.clearRequests();
        // dock-3 has never produced a frame: its snapshot is a 503, as the service answers.
        expectedFailures.add(failed(503, "/api/pairs/dock-3/snapshot.jpg"));
    }

    @AfterEach
    void noErrors(TestInfo test) {
        if (browser == null) {
            return; // skipped
        }
        browser.screenshot(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"));
        assertEquals(List.of(), browser.consoleErrors(), "console errors");
        for (String failed : browser.failedRequests()) {
            assertTrue(expectedFailures.stream().anyMatch(p -> p.matcher(failed).matches()), "unexpected failed request: " + failed
                    + "\nall: " + browser.failedRequests());
        }
    }

    @Test
    void showsATilePerPairWithItsStateAndFigures() {
        openPage();
        assertEquals(List.of("gate-1", "yard-2", "dock-3"), page.tileIds(), "one tile per pair, in the API's order");

        assertEquals("online", page.field("gate-1", "state"));
        assertEquals("online", page.state("gate-1"));
        assertEquals("29.9", page.field("gate-1", "fps"));
        assertEquals("30.0 / 25.0", page.field("gate-1", "input-fps"));
        assertEquals("41 / 80 ms", page.field("gate-1", "latency"));
        assertEquals("5", page.field("gate-1", "drops"));
        assertEquals("unpaired 1 · backpressure 3 · skipped 0 · output 1", page.field("gate-1", "drops-detail"));
        assertEquals("1,234", page.field("gate-1", "frames"));
        assertEquals("0", page.field("gate-1", "restarts"));
        assertEquals("", page.field("gate-1", "reason"));

        assertEquals("reconnecting", page.field("yard-2", "state"));
        assertEquals("IR camera rtsp://cam-2/ir: Connection refused", page.field("yard-2", "reason"));
        assertEquals("– / – ms", page.field("yard-2", "latency"), "no latency yet");
        assertEquals("IR down", page.field("dock-3", "state"));
        assertEquals("ir-down", page.state("dock-3"));
        assertEquals("2", page.field("dock-3", "restarts"));

        // Each state has its own colour (the tile's top border), failed and online clearly apart.
        String online = browser.evaluate(styleOf("gate-1", "borderTopColor")).asText();
        String reconnecting = browser.evaluate(styleOf("yard-2", "borderTopColor")).asText();
        String down = browser.evaluate(styleOf("dock-3", "borderTopColor")).asText();
        assertEquals(3, List.of(online, reconnecting, down).stream().distinct().count(), online + " " + reconnecting + " " + down);
        assertEquals(List.of("3 pairs", "1 online", "1 reconnecting", "1 IR down"), page.texts("#counts li"));
    }

    @Test
    void tilesFillTheWidthAndStackOnANarrowScreen() {
        openPage();
        assertEquals(3, tilesInFirstRow(), "a desktop screen (1280 px) puts the three tiles side by side");
        browser.setViewport(400, 800);
        browser.waitFor("one tile per row", "document.querySelectorAll('article.tile').length === 3"
                + " && new Set([...document.querySelectorAll('article.tile')].map(e => e.getBoundingClientRect().left)).size === 1", WAIT);
        double width = browser.evaluate(StatusPage.tile("gate-1") + ".getBoundingClientRect().width").asDouble();
        assertTrue(width > 360, "a tile takes the width of a phone screen: " + width);
        assertTrue(browser.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth").asBoolean(),
                "no horizontal scrolling");
    }

    @Test
    void snapshotsLoadAndRefresh() {
        openPage();
        for (String id : List.of("gate-1", "yard-2")) {
            assertArrayEquals(new int[] {320, 240}, page.awaitSnapshot(id), id);
        }
        browser.waitFor("dock-3 to show it has no frame yet", StatusPage.tile("dock-3") + ".classList.contains('no-frame-yet')", WAIT);
        assertFalse(browser.evaluate("'loaded' in " + StatusPage.image("dock-3") + ".dataset").asBoolean(), "dock-3 has no snapshot");
        assertTrue(server.requests().stream().anyMatch(r -> r.target().equals("/api/pairs/gate-1/snapshot.jpg?view=fused")));

        server.setSnapshot("gate-1", 640, 480); // a new frame, of another size: the page must fetch it again
        browser.waitFor("the new snapshot of gate-1", StatusPage.image("gate-1") + ".naturalWidth === 640", WAIT);
        assertEquals(480, browser.evaluate(StatusPage.image("gate-1") + ".naturalHeight").asInt());
    }

    @Test
    void aPairRemovedFromTheServiceDisappearsAndANewOneAppears() {
        openPage();
        expectedFailures.add(failed(503, "/api/pairs/lane-4/snapshot.jpg"));
        // Removed under the page, whose snapshot request may come in between: a 404 it copes with.
        expectedFailures.add(failed(404, "/api/pairs/yard-2/snapshot.jpg"));
        server.removePair("yard-2"); // as another operator, or a reload, would
        server.addPair(StatusPageServer.pair("lane-4", "starting")); // no frame yet
        page.awaitNoTile("yard-2");
        page.awaitTile("lane-4");
        assertEquals(List.of("gate-1", "dock-3", "lane-4"), page.tileIds());
        assertEquals("starting", page.field("lane-4", "state"));
        assertEquals(List.of("3 pairs", "1 online", "1 starting", "1 IR down"), page.texts("#counts li"));
    }

    @Test
    void removeAsksForConfirmationThenDeletesThePair() {
        openPage();
        page.clickRemove("yard-2");
        assertTrue(page.visible(StatusPage.css("yard-2") + " .confirm-remove"), "a confirm button");
        assertEquals("Remove yard-2?", page.field("yard-2", "confirm-text"));
        awaitNextPoll();
        assertEquals(List.of(), server.requests("DELETE"), "nothing is deleted before the confirmation");

        browser.click(StatusPage.css("yard-2") + " .cancel-remove");
        assertTrue(page.visible(StatusPage.css("yard-2") + " .remove"), "Cancel brings the buttons back");
        assertFalse(page.visible(StatusPage.css("yard-2") + " .confirm-remove"));

        page.clickRemove("yard-2");
        expectedFailures.add(failed(404, "/api/pairs/yard-2/snapshot.jpg"));
        browser.click(StatusPage.css("yard-2") + " .confirm-remove");
        page.awaitNoTile("yard-2");
        assertEquals(List.of("DELETE /api/pairs/yard-2"), server.requests("DELETE").stream().map(r -> r.method() + " " + r.target()).toList());
        assertFalse(server.hasPair("yard-2"));
        assertEquals(List.of("gate-1", "dock-3"), page.tileIds());
    }

    @Test
    void restartPostsToThePairAndShowsItsNewState() {
        openPage();
        page.restart("gate-1");
        browser.waitFor("gate-1 to be restarting", StatusPage.tile("gate-1") + ".dataset.state === 'starting'", WAIT);
        assertEquals(List.of("POST /api/pairs/gate-1/restart"), server.requests("POST").stream().map(r -> r.method() + " " + r.target()).toList());
        assertEquals("1", page.field("gate-1", "restarts"));
        assertEquals(List.of(), server.requests("DELETE"));
    }

    @Test
    void saysWhenTheServiceIsUnreachableAndRecovers() {
        openPage();
        expectedFailures.add(failed(500, "/api/pairs"));
        server.failListing("internal error: test");
        browser.waitFor("the page to say so", "document.getElementById('conn').textContent"
                + " === 'connection lost: internal error: test (retrying)'", WAIT);
        assertTrue(browser.evaluate("document.body.classList.contains('offline')").asBoolean(), "the grid is greyed");
        assertEquals(3, browser.evaluate("document.querySelectorAll('article.tile').length").asInt(), "the last figures stay");

        server.failListing(null);
        browser.waitFor("the page to recover", "!document.body.classList.contains('offline')", WAIT);
        assertTrue(browser.evaluate("document.getElementById('conn').textContent.startsWith('updated ')").asBoolean());
    }

    @Test
    void asksForTheTokenOn401AndSendsItWithEveryRequest() {
        server.requireToken("s3cret-token");
        expectedFailures.add(failed(401, "/api/pairs"));
        browser.navigate(server.url("/")); // the default refresh: 1.5 s
        browser.waitFor("the token form", "!document.getElementById('token-form').hidden", WAIT);
        assertEquals(0, browser.evaluate("document.querySelectorAll('.tile').length").asInt());
        assertFalse(browser.evaluate("document.body.dataset.loaded === 'true'").asBoolean());

        browser.type("#token-input", "wrong-token");
        browser.pressEnter();
        browser.waitFor("the page to say the token was rejected", "document.getElementById('token-message').textContent.includes('rejected')"
                + " && !document.getElementById('token-form').hidden", WAIT);
        assertTrue(server.requests().stream().anyMatch(r -> "Bearer wrong-token".equals(r.authorization())), "the wrong token was sent");

        int before = server.requests().size();
        browser.type("#token-input", "s3cret-token");
        browser.click("#token-submit");
        page.awaitLoaded();
        page.awaitSnapshot("gate-1");
        awaitNextPoll();
        assertEquals(List.of("gate-1", "yard-2", "dock-3"), page.tileIds());
        List<StatusPageServer.Request> after = server.requests().subList(before, server.requests().size());
        assertTrue(after.stream().anyMatch(r -> r.target().startsWith("/api/pairs/gate-1/snapshot.jpg")), "snapshots fetched: " + after);
        for (StatusPageServer.Request r : after) {
            assertEquals("Bearer s3cret-token", r.authorization(), r.method() + " " + r.target());
        }
        assertEquals("s3cret-token", browser.evaluate("sessionStorage.getItem('ivfuse.token')").asText());
        List<Long> polls = server.requests().stream().filter(r -> r.target().equals("/api/pairs")).map(StatusPageServer.Request::nanos).toList();
        long gapMs = (polls.get(polls.size() - 1) - polls.get(polls.size() - 2)) / 1_000_000;
        assertTrue(gapMs >= 1200, "by default the page polls every 1.5 s, not faster: " + gapMs + " ms");
        assertTrue(browser.evaluate("document.getElementById('token-form').hidden").asBoolean());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The page, refreshing every 0.3 s instead of 1.5 (its ?refresh= parameter): the tests wait less. */
    private void openPage() {
        page.open(0.3);
    }

    /** Waits until the page has asked for the pair list once more than now. */
    private void awaitNextPoll() {
        long polls = server.requests().stream().filter(r -> r.target().equals("/api/pairs")).count();
        Deadline.within(WAIT.toMillis(), TimeUnit.MILLISECONDS).until("the next poll",
                () -> server.requests().stream().filter(r -> r.target().equals("/api/pairs")).count() > polls);
    }

    private Pattern failed(int status, String path) {
        return Pattern.compile(status + " GET " + Pattern.quote(server.url(path)) + "(\\?.*)?");
    }

    private static String styleOf(String id, String property) {
        return "getComputedStyle(" + StatusPage.tile(id) + ")." + property;
    }

    private static int tilesInFirstRow() {
        return browser.evaluate("(() => { const tops = [...document.querySelectorAll('article.tile')].map(e => e.getBoundingClientRect().top);"
                + " return tops.filter(t => t === tops[0]).length; })()").asInt();
    }
}
