package io.ivfuse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ivfuse.IvfuseException;
import io.ivfuse.util.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoints on the JDK's {@link HttpServer}: Prometheus metrics, health probes,
 * the control API (JSON, snake_case) and the status page's files. With a token every endpoint but
 * {@code /health/*} and the page's files needs {@code Authorization: Bearer <token>}.
 */
public final class ServeHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServeHttp.class);
    /** Where the status page's files are in the jar. */
    static final String STATUS_RESOURCES = "io/ivfuse/serve/status/";
    private static final Pattern PAIR_PATH = Pattern.compile("/api/pairs/([^/]+)(/restart|/snapshot\\.jpg)?");
    private static final Pattern STATUS_FILE = Pattern.compile("/status/([A-Za-z0-9_.-]+\\.(html|js|css|svg|png))");
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");
    private static final int MAX_BODY = 1 << 20;
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static {
        // The JDK server writes a response's headers and body apart: without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK hold every answer ~40 ms. Read once, when the
        // first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Service service;
    private final byte[] token;
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds {@code host:port} (port 0: any free one); a port in use is an {@link IvfuseException}.
     * {@code token} null: no authentication.
     */
    public ServeHttp(Service service, String host, int port, String token) {
        this.service = service;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (BindException e) {
            throw new IvfuseException("--listen " + host + ":" + port + ": cannot listen there (" + e.getMessage()
                    + "; is the port in use?)");
        } catch (IOException e) {
            throw new IvfuseException("--listen " + host + ":" + port + ": " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ivfuse-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The bound port (the one picked when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try { // not try-with-resources: that closes the exchange before a catch could answer
            route(x);
        } catch (Service.Refused e) {
            error(x, e.status, e.getMessage());
        } catch (IvfuseException e) {
            error(x, 400, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(x, 503, "the service is stopping");
        } catch (IOException e) {
            log.warn("{} {}: the client went away: {}", x.getRequestMethod(), x.getRequestURI().getPath(), e.toString());
        } catch (RuntimeException | Error e) { // an Error too: HttpServer would drop the connection without a word
            log.error("{} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
            error(x, 500, "internal error: " + e);
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x) throws IOException, InterruptedException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        if (path.equals("/") || STATUS_FILE.matcher(path).matches()) {
            allow(method, "GET");
            staticFile(x, path.equals("/") ? "index.html" : path.substring("/status/".length()));
            return;
        }
        if (path.equals("/health/live")) {
            allow(method, "GET");
            json(x, 200, Map.of("status", "ok"));
            return;
        }
        if (path.equals("/health/ready")) {
            allow(method, "GET");
            Map<String, String> waiting = service.notReady();
            if (waiting.isEmpty()) {
                json(x, 200, Map.of("status", "ready"));
            } else {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "not-ready");
                body.put("pairs", waiting);
                json(x, 503, body);
            }
            return;
        }
        if (!authorized(x)) {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            error(x, 401, "a bearer token is required (Authorization: Bearer <token>)");
            return;
        }
        if (path.equals("/metrics")) {
            allow(method, "GET");
            send(x, 200, "text/plain; version=0.0.4; charset=utf-8", service.metrics().prometheusText());
            return;
        }
        if (path.equals("/api/pairs")) {
            if (method.equals("POST")) {
                json(x, 201, service.add(Service.parseEntry(body(x))));
            } else {
                allow(method, "GET");
                json(x, 200, Map.of("pairs", service.list()));
            }
            return;
        }
        if (path.equals("/api/reload")) {
            allow(method, "POST");
            try {
                json(x, 200, service.reload());
            } catch (Service.Refused e) {
                throw e;
            } catch (IvfuseException e) {
                log.error("reload refused, the running config stays: {}", Redaction.redact(e.getMessage()));
                throw new Service.Refused(400, "reload refused, the running config stays: " + e.getMessage());
            }
            return;
        }
        Matcher m = PAIR_PATH.matcher(path);
        if (!m.matches()) {
            error(x, 404, "no such endpoint: " + path);
            return;
        }
        String id = m.group(1);
        String action = m.group(2);
        if (action == null) {
            if (method.equals("DELETE")) {
                service.remove(id);
                x.sendResponseHeaders(204, -1);
            } else {
                allow(method, "GET");
                json(x, 200, service.status(id));
            }
        } else if (action.equals("/restart")) {
            allow(method, "POST");
            json(x, 202, service.restart(id));
        } else {
            allow(method, "GET");
            snapshot(x, id);
        }
    }

    private void snapshot(HttpExchange x, String id) throws IOException, InterruptedException {
        String query = x.getRequestURI().getQuery();
        String viewName = "fused";
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("view=")) {
                    viewName = kv.substring(5);
                }
            }
        }
        Snapshots.View view = Snapshots.View.parse(viewName);
        if (view == null) {
            throw new Service.Refused(400, "view must be fused, ir, vis or side-by-side, got '" + viewName + "'");
        }
        byte[] jpeg = service.pair(id).snapshots.jpeg(view);
        if (jpeg == null) {
            error(x, 503, "pair '" + id + "' has no frame yet");
            return;
        }
        x.getResponseHeaders().set("Cache-Control", "no-store");
        send(x, 200, "image/jpeg", jpeg);
    }

    private void staticFile(HttpExchange x, String name) throws IOException {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        try (InputStream in = ServeHttp.class.getClassLoader().getResourceAsStream(STATUS_RESOURCES + name)) {
            if (in == null) {
                error(x, 404, "no such file: " + name);
                return;
            }
            send(x, 200, CONTENT_TYPES.get(ext), in.readAllBytes());
        }
    }

    private boolean authorized(HttpExchange x) {
        if (token == null) {
            return true;
        }
        String header = x.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new Service.Refused(405, method + " is not allowed here (" + allowed + ")");
        }
    }

    private static String body(HttpExchange x) throws IOException {
        byte[] bytes = x.getRequestBody().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new Service.Refused(400, "the body is larger than " + MAX_BODY + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void error(HttpExchange x, int status, String message) {
        try {
            json(x, status, Map.of("error", Redaction.redact(message)));
        } catch (IOException e) {
            log.debug("client went away: {}", e.toString());
        }
    }

    private static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", contentType);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }
}
