package io.ivfuse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live RTSP camera on 127.0.0.1 for tests: {@code tools/rtsp-test-server.py} (GStreamer's RTSP
 * server) run as a child process. Each mount plays an H.264 Matroska file (see
 * {@link TestVideos#writeH264Mkv}) in real time from start-up, whether or not a client is
 * connected, and every client of a mount sees that one timeline. Tests that need it are skipped
 * when /usr/bin/python3, PyGObject or the GStreamer RTSP server is missing (they fail instead in
 * CI, where {@code CI=true}, or with {@code -Divfuse.rtsp.required=true}). The server's output goes to a log under
 * target/rtsp-test-server; {@link #logTail()} belongs in assertion messages.
 *
 * <p>Clients: FFmpeg reads about a second of a stream while opening it and then hands those frames
 * out at once, so an FFmpeg client is live only after that catch-up; it joins at the next keyframe.
 *
 * <pre>
 * try (RtspTestServer server = RtspTestServer.start(Map.of("/ir", irMkv), null)) {
 *     VideoSource.open("IR", server.url("/ir"), AV_PIX_FMT_GRAY8) ...
 * }
 * </pre>
 */
public final class RtspTestServer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("..", "tools", "rtsp-test-server.py").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RESTART_BIND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern READY = Pattern.compile("READY (\\d+)");
    private static final int TAIL_LINES = 40;
    /** One log per server, kept after the run for a look at failures (mvn clean removes them). */
    private static final Path LOG_DIR = Path.of("target", "rtsp-test-server").toAbsolutePath();
    /** System property: fail, rather than skip, when the server cannot run. */
    public static final String REQUIRED = "ivfuse.rtsp.required";

    /** In CI (CI=true, where .ci/run has installed the server) or with -D{@value #REQUIRED}=true, a missing server fails. */
    static boolean required() {
        return Boolean.getBoolean(REQUIRED) || "true".equalsIgnoreCase(System.getenv("CI"));
    }
    private static String unavailable; // why the server cannot run here; "" when it can
    private static boolean checked;

    private final List<String> args;
    private final Path log;
    /** Pending {@link #nextOutput} waits: the pattern and what completes when a line matches it. */
    private final List<Map.Entry<Pattern, CompletableFuture<String>>> watchers = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::destroyNow, "rtsp-test-server-kill");
    // volatile: read without the lock, by other threads and the shutdown hook
    private volatile Process process;
    private volatile int port;
    private volatile long readyNanos;
    private boolean closed;

    private RtspTestServer(List<String> args, Path log) {
        this.args = args;
        this.log = log;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** {@link #start(Map, String, boolean)} with looping files: the camera never runs out. */
    public static RtspTestServer start(Map<String, Path> mounts, String auth) {
        return start(mounts, auth, true);
    }

    /**
     * Starts the server on a free port with {@code mounts} (mount path such as "/ir" to file), with
     * Basic auth on every mount when {@code auth} ("user:password") is given, and waits until it
     * listens. Skips the calling test when the server cannot run on this machine.
     *
     * @param loop replay each file forever; otherwise a mount ends (EOS) when its file does
     */
    public static RtspTestServer start(Map<String, Path> mounts, String auth, boolean loop) {
        skipOrFailUnless(unavailableReason().isEmpty(), unavailableReason());
        List<String> args = new ArrayList<>();
        mounts.forEach((mount, file) -> {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file for mount " + mount + ": " + file);
            }
            args.add("--mount");
            args.add(normalize(mount) + "=" + file.toAbsolutePath());
        });
        if (auth != null) {
            if (auth.indexOf(':') < 1) {
                throw new IllegalArgumentException("auth must be user:password");
            }
            args.add("--auth");
            args.add(auth);
        }
        if (loop) {
            args.add("--loop");
        }
        RtspTestServer server;
        try {
            Files.createDirectories(LOG_DIR);
            server = new RtspTestServer(args, Files.createTempFile(LOG_DIR, "server-", ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server.launch(0, Duration.ZERO); // port 0: the server binds a free port and says which
        } catch (StartFailure e) {
            server.close();
            skipOrFailUnless(false, "RTSP test server could not start: " + e.getMessage() + "\n" + server.logTail());
        }
        return server;
    }

    /**
     * Skips the calling test when {@code ok} is false, or fails it when the system property
     * {@value #REQUIRED} is true (CI sets it, having installed the packages, so that a broken
     * server cannot pass for a missing one).
     */
    private static void skipOrFailUnless(boolean ok, String reason) {
        if (!ok && required()) {
            throw new AssertionError(reason + " (and the RTSP tests are required here: -D" + REQUIRED + "=true or CI=true)");
        }
        assumeTrue(ok, reason);
    }

    public int port() {
        return port;
    }

    /** rtsp://127.0.0.1:port/mount */
    public String url(String mount) {
        return "rtsp://127.0.0.1:" + port + normalize(mount);
    }

    /** rtsp://user:password@127.0.0.1:port/mount, both percent-encoded (FFmpeg decodes them). */
    public String url(String mount, String user, String password) {
        return "rtsp://" + encode(user) + ":" + encode(password) + "@127.0.0.1:" + port + normalize(mount);
    }

    /** Process id of the running server (for /proc checks); -1 when none runs. */
    public long pid() {
        Process process = this.process;
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /**
     * {@link System#nanoTime()} when the running server reported READY. Its cameras started a few
     * milliseconds before: frame n of a mount is live near readyNanos + n / fps (modulo the file
     * length when looping).
     */
    public long readyNanos() {
        return readyNanos;
    }

    /**
     * Completes with the next line the server prints that matches {@code regex} (from any later
     * start too), e.g. "BUSY \\d+" when a restart finds its port taken. Ask before the action
     * that makes the line; bound the wait with {@code get(timeout)}.
     */
    public CompletableFuture<String> nextOutput(String regex) {
        CompletableFuture<String> line = new CompletableFuture<>();
        Map.Entry<Pattern, CompletableFuture<String>> watcher = Map.entry(Pattern.compile(regex), line);
        watchers.add(watcher);
        line.whenComplete((l, e) -> watchers.remove(watcher));
        return line;
    }

    /** SIGKILL, as a crashing camera; waits until the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
            appendLog("--- killed (SIGKILL)");
        }
    }

    /**
     * Starts the server again, on the same port, with the same mounts (their timelines begin again
     * at frame 0). A running server is killed first. The new one retries a busy port for a while.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        kill();
        try {
            launch(port, RESTART_BIND_TIMEOUT);
        } catch (StartFailure e) {
            throw new AssertionError("RTSP test server did not restart on port " + port + ": " + e.getMessage()
                    + "\n" + logTail(), e);
        }
    }

    /**
     * SIGSTOP: the camera freezes with its connections open (no data, no FIN or RST), as a stalled
     * device. Returns once the process is stopped. On {@link #resume()} the camera does not skip
     * ahead: it sends the frames it owes at once (a burst), then runs in real time again.
     */
    public synchronized void pause() {
        signal("STOP");
        awaitStopped(true);
    }

    /** SIGCONT after {@link #pause()}; returns once the process runs again. */
    public synchronized void resume() {
        signal("CONT");
        awaitStopped(false);
    }

    /** Stops the server (SIGTERM, then SIGKILL if it lingers). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null && process.isAlive()) {
            process.destroy();
            signalQuietly("CONT"); // a paused server handles SIGTERM only once it runs again
            try {
                if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    awaitExit(process);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it kills the process anyway.
        }
    }

    /** The last lines the server and this class logged, with the log's path: for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            return "--- RTSP test server log " + log + " (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(RTSP test server log " + log + " unreadable: " + e + ")";
        }
    }

    /** Why the server cannot run here ("" when it can), found once per JVM with the script's --check. */
    public static synchronized String unavailableReason() {
        if (!checked) {
            checked = true;
            unavailable = probeAvailability();
            if (!unavailable.isEmpty()) {
                System.err.println("RtspTestServer: tests that need it are skipped: " + unavailable);
            }
        }
        return unavailable;
    }

    private static String probeAvailability() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return "RTSP test server needs " + PYTHON + " (with python3-gi and gir1.2-gst-rtsp-server-1.0)";
        }
        if (!Files.isRegularFile(SCRIPT)) {
            return "RTSP test server script missing: " + SCRIPT;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, SCRIPT.toString(), "--check").redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p));
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "RTSP test server check did not finish in " + START_TIMEOUT.toSeconds() + " s";
            }
            if (p.exitValue() != 0) {
                String out = output.get(5, TimeUnit.SECONDS).trim();
                String last = out.isEmpty() ? "exit code " + p.exitValue() : out.substring(out.lastIndexOf('\n') + 1);
                return "GStreamer RTSP server not usable from " + PYTHON + " (install python3-gi "
                        + "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad}): " + last;
            }
            return "";
        } catch (IOException | ExecutionException | TimeoutException e) {
            return "RTSP test server check failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Starts the script and waits for its READY line; on failure the process is gone. */
    private void launch(int requestedPort, Duration bindTimeout) throws StartFailure {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), "--port", String.valueOf(requestedPort),
                "--bind-timeout", String.valueOf(bindTimeout.toMillis() / 1000.0)));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PYTHONUNBUFFERED", "1");
        pb.environment().put("GST_DEBUG_NO_COLOR", "1");
        // Warnings, less the harmless ones matroskademux prints for FFmpeg-written files.
        pb.environment().putIfAbsent("GST_DEBUG", "2,matroska*:1,basesrc:1");
        appendLog("--- " + String.join(" ", cmd));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new StartFailure("cannot run " + PYTHON + ": " + e.getMessage());
        }
        process = p;
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(p, ready), "rtsp-test-server-log-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        long waitMs = START_TIMEOUT.plus(bindTimeout).toMillis();
        try {
            port = ready.get(waitMs, TimeUnit.MILLISECONDS);
            readyNanos = System.nanoTime();
        } catch (TimeoutException e) {
            p.destroyForcibly();
            awaitExit(p);
            throw new StartFailure("no READY line within " + waitMs + " ms");
        } catch (ExecutionException e) {
            awaitExit(p);
            throw new StartFailure("it exited with code " + p.exitValue() + " before READY");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StartFailure("interrupted");
        }
    }

    /** Copies the process output to the log until it ends, completing {@code ready} on READY. */
    private void pump(Process p, CompletableFuture<Integer> ready) {
        InputStreamReader output = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(output)) {
            for (String line; (line = in.readLine()) != null; ) {
                appendLog(line);
                for (Map.Entry<Pattern, CompletableFuture<String>> w : watchers) {
                    if (w.getKey().matcher(line).matches()) {
                        w.getValue().complete(line);
                    }
                }
                Matcher m = READY.matcher(line);
                if (m.matches()) {
                    ready.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            if (p.isAlive()) { // otherwise: the pipe closed with the process
                appendLog("--- output unreadable: " + e);
            }
        }
        ready.completeExceptionally(new IllegalStateException("exited"));
    }

    private void appendLog(String line) {
        synchronized (log) {
            try {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void signal(String name) {
        long pid = pid();
        if (pid < 0) {
            throw new IllegalStateException("the RTSP test server is not running\n" + logTail());
        }
        if (!runKill(name, pid)) {
            throw new AssertionError("kill -" + name + " " + pid + " failed\n" + logTail());
        }
        appendLog("--- SIG" + name);
    }

    /** Polls the process state in /proc (Linux) until it is, or is no longer, 'T' (stopped). */
    private void awaitStopped(boolean stopped) {
        Path stat = Path.of("/proc", String.valueOf(pid()), "stat");
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String s = Files.readString(stat);
                if ((s.charAt(s.lastIndexOf(')') + 2) == 'T') == stopped) {
                    return;
                }
            } catch (IOException e) {
                throw new AssertionError("RTSP test server vanished\n" + logTail(), e);
            }
            Thread.yield();
        }
        throw new AssertionError("RTSP test server did not " + (stopped ? "stop" : "continue") + "\n" + logTail());
    }

    private void signalQuietly(String name) {
        long pid = pid();
        if (pid >= 0) {
            runKill(name, pid);
        }
    }

    private static boolean runKill(String name, long pid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!k.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                k.destroyForcibly();
                return false;
            }
            return k.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void destroyNow() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("RTSP test server (pid " + p.pid() + ") did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String normalize(String mount) {
        return mount.startsWith("/") ? mount : "/" + mount;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The server did not get to READY. */
    private static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }
}
