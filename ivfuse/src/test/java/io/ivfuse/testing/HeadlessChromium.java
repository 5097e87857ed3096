package io.ivfuse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real headless browser for page tests: Debian's {@code chromium} run as a child process, driven
 * over the Chrome DevTools Protocol (the JDK's WebSocket client, Jackson for the JSON). One page
 * (tab); everything it logs as an error and every request that fails is recorded, for assertions.
 * Tests that need it are skipped when chromium is missing, and fail instead in CI ({@code CI=true},
 * where {@code .ci/run} installs it) or with {@code -Divfuse.chromium.required=true}. The browser is
 * found as {@code -Divfuse.chromium=PATH}, {@code IVFUSE_CHROMIUM}, or {@code chromium} /
 * {@code chromium-browser} on the PATH. Its own output goes to target/headless-chromium.
 *
 * <pre>
 * try (HeadlessChromium browser = HeadlessChromium.launch()) {
 *     browser.navigate("http://127.0.0.1:" + port + "/");
 *     browser.waitFor("the page loaded", "document.body.dataset.loaded === 'true'", Duration.ofSeconds(10));
 *     assertEquals(3, browser.evaluate("document.querySelectorAll('.tile').length").asInt());
 * }
 * </pre>
 */
public final class HeadlessChromium implements AutoCloseable {
    /** System property: fail, rather than skip, when chromium cannot run. */
    public static final String REQUIRED = "ivfuse.chromium.required";
    /** System property (or environment variable IVFUSE_CHROMIUM): the browser executable. */
    public static final String EXECUTABLE = "ivfuse.chromium";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Path LOG_DIR = Path.of("target", "headless-chromium").toAbsolutePath();
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<ProcessHandle> children = new ArrayList<>();
    private final Path profile;
    private final Path log;
    private final Thread shutdownHook;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, String> requests = new ConcurrentHashMap<>(); // request id -> "METHOD URL"
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String> failedRequests = new CopyOnWriteArrayList<>();
    private WebSocket socket;
    private String contextId; // the page's browser context (its own storage)
    private String targetId;
    private String sessionId; // the page's CDP session (flat mode: every page command carries it)
    private volatile CompletableFuture<JsonNode> nextLoad = new CompletableFuture<>(); // the next Page.loadEventFired
    private boolean closed;

    private HeadlessChromium(Process process, Path profile, Path log) {
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.shutdownHook = new Thread(() -> destroy(process), "headless-chromium-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Why no browser can run here ("" when one can): chromium not found. A class that launches in
     * {@code @BeforeAll} checks this first and calls {@link #assumeAvailable()} in each test, so
     * that every test is reported skipped with the reason.
     */
    public static String unavailableReason() {
        return executable() != null ? "" : "headless browser tests need Debian's chromium (apt-get install chromium)"
                + " on the PATH, or -D" + EXECUTABLE + "=PATH";
    }

    /** Skips the calling test when no browser can run here, or fails it in CI (see the class comment). */
    public static void assumeAvailable() {
        String reason = unavailableReason();
        skipOrFailUnless(reason.isEmpty(), reason);
    }

    /** Starts chromium with a fresh profile and opens one blank page; skips the test when it can't run here. */
    public static HeadlessChromium launch() {
        assumeAvailable();
        Path executable = executable();
        HeadlessChromium browser = null;
        try {
            Files.createDirectories(LOG_DIR);
            Path profile = Files.createTempDirectory("ivfuse-chromium-");
            Path log = Files.createTempFile(LOG_DIR, "chromium-", ".log");
            List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless=new",
                    "--remote-debugging-port=0", "--user-data-dir=" + profile, "--disable-gpu",
                    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                    "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                    "--password-store=basic", "--use-mock-keychain", "--mute-audio",
                    "--window-size=" + WIDTH + "," + HEIGHT));
            if (isRoot()) {
                cmd.add("--no-sandbox"); // chromium refuses to run its sandbox as root
            }
            cmd.add("about:blank");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            browser = new HeadlessChromium(process, profile, log);
            browser.connect(browser.awaitDevToolsUrl());
            browser.newPage();
            return browser;
        } catch (IOException e) {
            if (browser != null) {
                browser.close();
            }
            throw new UncheckedIOException("cannot start " + executable, e);
        } catch (RuntimeException | Error e) {
            if (browser != null) {
                browser.close();
            }
            throw e;
        }
    }

    /** Loads {@code url} in the page and waits for its load event (its scripts have run; their fetches may be under way). */
    public void navigate(String url) {
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        nextLoad = loaded;
        JsonNode result = send("Page.navigate", JSON.createObjectNode().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new AssertionError("navigating to " + url + " failed: " + result.get("errorText").asText());
        }
        await(loaded, "the load event of " + url);
    }

    /**
     * The value of a JavaScript expression in the page, awaited when it is a promise, as JSON
     * ({@code null} is a NullNode, {@code undefined} a MissingNode). A thrown exception fails the
     * calling test.
     */
    public JsonNode evaluate(String expression) {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("awaitPromise", true)
                .put("returnByValue", true).put("userGesture", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            String text = details.path("exception").path("description").asText(details.path("text").asText());
            throw new AssertionError("JavaScript failed: " + expression + "\n" + text);
        }
        return result.path("result").path("value");
    }

    /** Polls {@code condition} (a JavaScript expression) until it is truthy; fails with {@code what} at the timeout. */
    public void waitFor(String what, String condition, Duration timeout) {
        String truthy = "Boolean(" + condition + ")";
        Deadline.within(timeout.toMillis(), TimeUnit.MILLISECONDS).until(what, () -> evaluate(truthy).asBoolean(false));
    }

    /**
     * A real mouse click (pressed and released) at the centre of the first element matching
     * {@code selector}, after scrolling it into view: it must be visible and not covered, as for a user.
     */
    public void click(String selector) {
        clickAt(selector, 0.5, 0.5);
    }

    /**
     * As {@link #click}, at the point {@code (fx, fy)} of the element's box in fractions of its
     * width and height ((0, 0) its top left corner, (1, 1) its bottom right): a click on a picture.
     */
    public void clickAt(String selector, double fx, double fy) {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center', inline: 'center'});"
                + " const r = e.getBoundingClientRect(); const x = r.left + r.width * " + fx + ", y = r.top + r.height * "
                + fy + ";"
                + " const hit = document.elementFromPoint(x, y);"
                + " return {x, y, width: r.width, height: r.height, hit: hit === e || e.contains(hit)}; })()");
        if (box.isNull() || box.isMissingNode()) {
            throw new AssertionError("nothing to click: no element matches " + selector);
        }
        if (box.get("width").asDouble() <= 0 || box.get("height").asDouble() <= 0 || !box.get("hit").asBoolean()) {
            throw new AssertionError("cannot click " + selector + ": it is hidden or covered (" + box + ")");
        }
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type).put("x", box.get("x").asDouble())
                    .put("y", box.get("y").asDouble()).put("button", "left").put("clickCount", 1));
        }
    }

    /** Focuses the element matching {@code selector} and types {@code text} into it, as the keyboard would. */
    public void type(String selector, String text) {
        if (!evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " if (!e) return false; e.focus(); return document.activeElement === e; })()").asBoolean()) {
            throw new AssertionError("cannot type into " + selector + ": no such element, or it cannot take focus");
        }
        send("Input.insertText", JSON.createObjectNode().put("text", text));
    }

    /** Presses Enter in the focused element (submits a form). */
    public void pressEnter() {
        for (String type : List.of("keyDown", "keyUp")) {
            ObjectNode key = JSON.createObjectNode().put("type", type).put("key", "Enter").put("code", "Enter")
                    .put("windowsVirtualKeyCode", 13);
            if (type.equals("keyDown")) {
                key.put("text", "\r");
            }
            send("Input.dispatchKeyEvent", key);
        }
    }

    /** Writes a PNG of the page's viewport (for a look at what a test saw). */
    public void screenshot(Path png) {
        JsonNode shot = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JavaScript errors since the last {@link #clearLogs()}: uncaught exceptions, console.error and
     * console.assert, and what the browser itself logged as an error other than a failed request.
     */
    public List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    /**
     * Requests that failed since the last {@link #clearLogs()}, as "STATUS METHOD URL" for an HTTP
     * error status (400 and up) or "FAILED METHOD URL (net::ERR_...)" for a network error. Requests
     * the page cancelled itself (navigating away) are not counted.
     */
    public List<String> failedRequests() {
        return List.copyOf(failedRequests);
    }

    public void clearLogs() {
        consoleErrors.clear();
        failedRequests.clear();
    }

    /** The last lines chromium printed, with the log's path: for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- chromium log " + log + " (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(chromium log " + log + " unreadable: " + e + ")";
        }
    }

    /** Closes the browser (Browser.close, then a kill if it lingers) and deletes its profile. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.descendants().forEach(children::add); // before the parent goes: they are reparented after
        if (socket != null && process.isAlive()) {
            try {
                sendBrowser("Browser.close", JSON.createObjectNode()).get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // It may close the connection before answering; the process check below decides.
            }
        }
        if (socket != null) {
            socket.abort();
        }
        destroy(process);
        children.forEach(ProcessHandle::destroyForcibly); // those that outlived the browser: chromium's helpers
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("HeadlessChromium: chromium process " + child.pid() + " did not exit after SIGKILL");
            }
        }
        deleteRecursively(profile);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it kills the process anyway.
        }
    }

    /** The browser's process (for tests of this class). */
    ProcessHandle process() {
        return process.toHandle();
    }

    /** The browser's profile folder, deleted on close (for tests of this class). */
    Path profile() {
        return profile;
    }

    // ---- start-up ------------------------------------------------------------------------------

    private static Path executable() {
        String configured = System.getProperty(EXECUTABLE, System.getenv("IVFUSE_CHROMIUM"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(EXECUTABLE + " / IVFUSE_CHROMIUM names no executable: " + configured);
            }
            return path;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean required() {
        return Boolean.getBoolean(REQUIRED) || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void skipOrFailUnless(boolean ok, String reason) {
        if (!ok && required()) {
            throw new AssertionError(reason + " (and browser tests are required here: -D" + REQUIRED + "=true or CI=true)");
        }
        assumeTrue(ok, reason);
    }

    /** The browser's DevTools WebSocket URL, from the DevToolsActivePort file it writes into its profile. */
    private URI awaitDevToolsUrl() {
        Path portFile = profile.resolve("DevToolsActivePort");
        String[] lines = new String[1];
        Deadline.within(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).until("chromium to write " + portFile
                + "\n" + logTail(), () -> {
                    if (!process.isAlive()) {
                        return true;
                    }
                    try {
                        String text = Files.readString(portFile, StandardCharsets.UTF_8);
                        lines[0] = text;
                        return text.split("\n").length >= 2; // port, then the browser target's path
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        if (!process.isAlive()) {
            throw new AssertionError("chromium exited with code " + process.exitValue() + " at start\n" + logTail());
        }
        String[] parts = lines[0].split("\n");
        return URI.create("ws://127.0.0.1:" + parts[0].trim() + parts[1].trim());
    }

    private void connect(URI url) {
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(COMMAND_TIMEOUT)
                    .buildAsync(url, new Listener()).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted connecting to chromium", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot connect to chromium's DevTools at " + url + ": " + e + "\n" + logTail(), e);
        }
    }

    /**
     * Replaces the page with a blank one in a new browser context (as a fresh incognito window:
     * no cookies, storage or cache from before); the recorded errors are kept.
     */
    public void newPage() {
        if (targetId != null) {
            await(sendBrowser("Target.closeTarget", JSON.createObjectNode().put("targetId", targetId)), "Target.closeTarget");
            await(sendBrowser("Target.disposeBrowserContext", JSON.createObjectNode().put("browserContextId", contextId)),
                    "Target.disposeBrowserContext");
        }
        contextId = await(sendBrowser("Target.createBrowserContext", JSON.createObjectNode()), "Target.createBrowserContext")
                .get("browserContextId").asText();
        targetId = await(sendBrowser("Target.createTarget", JSON.createObjectNode().put("url", "about:blank")
                .put("browserContextId", contextId)), "Target.createTarget").get("targetId").asText();
        sessionId = await(sendBrowser("Target.attachToTarget", JSON.createObjectNode().put("targetId", targetId)
                .put("flatten", true)), "Target.attachToTarget").get("sessionId").asText();
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            send(domain + ".enable", JSON.createObjectNode());
        }
        resetViewport();
    }

    /** The viewport every page starts with: 1280 x 900 CSS pixels. */
    public void resetViewport() {
        setViewport(WIDTH, HEIGHT);
    }

    /** Sizes the page's viewport in CSS pixels (a desktop screen; the page's layout follows). */
    public void setViewport(int width, int height) {
        send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    // ---- the protocol --------------------------------------------------------------------------

    /** A command to the page; waits for its result and fails the test on a protocol error. */
    private JsonNode send(String method, ObjectNode params) {
        return await(command(method, params, sessionId), method);
    }

    private CompletableFuture<JsonNode> sendBrowser(String method, ObjectNode params) {
        return command(method, params, null);
    }

    private CompletableFuture<JsonNode> command(String method, ObjectNode params, String session) {
        if (closed && !method.equals("Browser.close")) {
            throw new IllegalStateException("the browser is closed");
        }
        long id = nextId.getAndIncrement();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        synchronized (this) { // one message on the socket at a time
            socket.sendText(message.toString(), true).join();
        }
        return result;
    }

    private JsonNode await(CompletableFuture<JsonNode> result, String method) {
        try {
            return result.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + method, e);
        } catch (TimeoutException e) {
            throw new AssertionError("chromium did not answer " + method + " within " + COMMAND_TIMEOUT.toSeconds()
                    + " s\n" + logTail(), e);
        } catch (ExecutionException e) {
            throw new AssertionError(method + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> result = pending.remove(message.get("id").asLong());
            if (result != null) {
                if (message.has("error")) {
                    result.completeExceptionally(new IllegalStateException(message.get("error").toString()));
                } else {
                    result.complete(message.path("result"));
                }
            }
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                consoleErrors.add("uncaught: " + details.path("exception").path("description")
                        .asText(details.path("text").asText()) + " at " + details.path("url").asText()
                        + ":" + details.path("lineNumber").asInt());
            }
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    List<String> args = new ArrayList<>();
                    params.path("args").forEach(a -> args.add(a.has("value") ? a.get("value").asText()
                            : a.path("description").asText(a.path("type").asText())));
                    consoleErrors.add("console." + type + ": " + String.join(" ", args));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                // "network" entries repeat a failed request, which failedRequests has.
                if (entry.path("level").asText().equals("error") && !entry.path("source").asText().equals("network")) {
                    consoleErrors.add(entry.path("source").asText() + ": " + entry.path("text").asText()
                            + " " + entry.path("url").asText());
                }
            }
            case "Page.loadEventFired" -> nextLoad.complete(params);
            case "Network.requestWillBeSent" -> requests.put(params.path("requestId").asText(),
                    params.path("request").path("method").asText() + " " + params.path("request").path("url").asText());
            case "Network.responseReceived" -> {
                JsonNode response = params.path("response");
                int status = response.path("status").asInt();
                if (status >= 400) {
                    failedRequests.add(status + " " + request(params));
                }
            }
            case "Network.loadingFinished" -> requests.remove(params.path("requestId").asText());
            case "Network.loadingFailed" -> {
                if (!params.path("canceled").asBoolean(false)) {
                    failedRequests.add("FAILED " + request(params) + " (" + params.path("errorText").asText() + ")");
                }
                requests.remove(params.path("requestId").asText());
            }
            default -> {
                // other events are not recorded
            }
        }
    }

    /** "METHOD URL" of the request an event is about. */
    private String request(JsonNode params) {
        return requests.getOrDefault(params.path("requestId").asText(), "? " + params.path("requestId").asText());
    }

    /** Collects the text frames of each message and hands whole messages to {@link #dispatch}. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(JSON.readTree(text));
                } catch (IOException e) {
                    consoleErrors.add("unreadable DevTools message: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("DevTools connection closed (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(error);
        }

        private void failPending(Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
            pending.clear();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** A JavaScript string literal of {@code s} (JSON's quoting is JavaScript's). */
    public static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    private static void destroy(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Chromium's last children may still be writing; what is left is in the temp folder, under a clear name.
            System.err.println("HeadlessChromium: could not delete the profile " + dir + ": " + e);
        }
    }
}
