package io.ivfuse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The browser harness itself: what it records must be real, or the page tests' "no errors" would prove nothing. */
class HeadlessChromiumTest {
    private static final String PAGE = "<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body>"
            + "<button id='b' onclick=\"this.textContent='clicked'\">press</button>"
            + "<button id='hidden' hidden>no</button>"
            + "<form id='f' onsubmit=\"event.preventDefault(); document.title = document.getElementById('t').value\">"
            + "<input id='t'></form>"
            + "<script>console.error('boom', 42); fetch('missing.json'); setTimeout(() => { throw new Error('late failure'); }, 0);</script>"
            + "</body></html>";

    @Test
    void recordsErrorsAndFailedRequestsDrivesThePageAndCleansUp() throws IOException {
        HeadlessChromium.assumeAvailable();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        http.createContext("/", x -> {
            try (x) {
                byte[] body = x.getRequestURI().getPath().equals("/") ? PAGE.getBytes(StandardCharsets.UTF_8) : new byte[0];
                x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                x.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
                x.getResponseBody().write(body);
            }
        });
        http.start();
        String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        HeadlessChromium browser = HeadlessChromium.launch();
        ProcessHandle process = browser.process();
        Path profile = browser.profile();
        List<ProcessHandle> children;
        try {
            browser.navigate(base);
            children = process.descendants().toList();
            Deadline.within(10, TimeUnit.SECONDS).until("two errors and the failed fetch",
                    () -> browser.consoleErrors().size() >= 2 && !browser.failedRequests().isEmpty());
            List<String> errors = browser.consoleErrors();
            assertTrue(errors.contains("console.error: boom 42"), errors.toString());
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("uncaught: Error: late failure")), errors.toString());
            assertEquals(List.of("404 GET " + base + "missing.json"), browser.failedRequests());

            assertEquals(6, browser.evaluate("Promise.resolve(2 * 3)").asInt(), "promises are awaited");
            AssertionError thrown = assertThrows(AssertionError.class, () -> browser.evaluate("null.x"));
            assertTrue(thrown.getMessage().contains("TypeError"), thrown.getMessage());
            AssertionError timedOut = assertThrows(AssertionError.class,
                    () -> browser.waitFor("never", "false", Duration.ofMillis(200)));
            assertTrue(timedOut.getMessage().contains("never"), timedOut.getMessage());

            browser.click("#b");
            assertEquals("clicked", browser.evaluate("document.getElementById('b').textContent").asText());
            assertThrows(AssertionError.class, () -> browser.click("#hidden"), "a hidden element cannot be clicked");
            assertThrows(AssertionError.class, () -> browser.click("#nothing"));
            browser.type("#t", "typed text");
            browser.pressEnter();
            browser.waitFor("the form to be submitted", "document.title === 'typed text'", Duration.ofSeconds(5));

            browser.clearLogs();
            String refused = "http://127.0.0.1:" + LocalPorts.freeTcp() + "/"; // nothing listens there
            assertEquals("refused", browser.evaluate("fetch(" + HeadlessChromium.quote(refused) + ").then(() => 'answered', () => 'refused')").asText());
            Deadline.within(10, TimeUnit.SECONDS).until("the refused fetch to be recorded", () -> !browser.failedRequests().isEmpty());
            assertTrue(browser.failedRequests().get(0).matches("FAILED GET " + refused + " \\(net::ERR_CONNECTION_REFUSED\\)"),
                    browser.failedRequests().toString());
            AssertionError notLoaded = assertThrows(AssertionError.class, () -> browser.navigate(refused));
            assertTrue(notLoaded.getMessage().contains("ERR_CONNECTION_REFUSED"), notLoaded.getMessage());
        } finally {
            browser.close();
            http.stop(0);
        }
        assertFalse(process.isAlive(), "the browser is gone");
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "its child processes are gone: "
                + children.stream().filter(ProcessHandle::isAlive).map(c -> c.pid() + " " + c.info().commandLine().orElse("?")).toList());
        assertFalse(Files.exists(profile), "its profile is deleted: " + profile);
    }
}
