package io.ivfuse.serve.status;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The HTTP side of the issue 14 contract that the status page uses, over a fixture the tests change:
 * {@code GET /} and {@code GET /status/<file>} from the classpath folder io/ivfuse/serve/status (no
 * token), and {@code /api/pairs}, {@code /api/pairs/{id}} (GET, DELETE), {@code .../restart} (POST)
 * and {@code .../snapshot.jpg} (real JPEGs, encoded by OpenCV; 503 before a pair's first frame), with
 * the bearer token enforced when one is set. Every request is recorded with its Authorization header.
 * JDK HttpServer on 127.0.0.1, a free port.
 */
final class StatusPageServer implements AutoCloseable {
    private static final String RESOURCES = "io/ivfuse/serve/status/";
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");
    private static final Pattern PAIR_PATH = Pattern.compile("/api/pairs/([A-Za-z0-9._-]+)(/restart|/snapshot\\.jpg)?");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Encoded test cards by "id@WxH": each made once. */
    private static final Map<String, byte[]> CARDS = new ConcurrentHashMap<>();

    /**
     * One request as the server saw it: method, path with query, the Authorization header (null when
     * absent), and when it came ({@link System#nanoTime()}).
     */
    record Request(String method, String target, String authorization, long nanos) {
    }

    private final HttpServer http;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> pairs = new LinkedHashMap<>(); // guarded by this
    private final Map<String, byte[]> snapshots = new LinkedHashMap<>(); // guarded by this
    private volatile String token;
    private volatile String listingError; // GET /api/pairs answers 500 with it, when set

    private StatusPageServer(HttpServer http) {
        this.http = http;
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
    }

    static StatusPageServer start() {
        try {
            return new StatusPageServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    /**
     * The starting fixture: gate-1 online, yard-2 reconnecting (both with a 320x240 snapshot), dock-3
     * with its IR camera down and no frame yet; no token.
     */
    synchronized void reset() {
        token = null;
        listingError = null;
        pairs.clear();
        snapshots.clear();
        ObjectNode gate = pair("gate-1", "online");
        gate.put("fps", 29.94).put("frames", 1234);
        gate.putObject("input_fps").put("ir", 30.0).put("vis", 25.0);
        gate.putObject("latency_ms").put("p50", 41.2).put("p99", 80.1);
        gate.putObject("drops").put("unpaired", 1).put("backpressure", 3).put("skipped", 0).put("output", 1);
        ObjectNode yard = pair("yard-2", "reconnecting").put("reason", "IR camera rtsp://cam-2/ir: Connection refused");
        ObjectNode dock = pair("dock-3", "ir-down").put("reason", "IR camera: no frame for 5 s").put("restarts", 2);
        for (ObjectNode p : List.of(gate, yard, dock)) {
            pairs.put(p.get("id").asText(), p);
        }
        setSnapshot("gate-1", 320, 240);
        setSnapshot("yard-2", 320, 240);
    }

    /** A PairStatus as the contract gives it, with zero counts and no figures yet. */
    static ObjectNode pair(String id, String state) {
        ObjectNode p = JSON.createObjectNode().put("id", id).put("state", state).putNull("reason").put("engine", "average");
        p.put("fps", 0.0);
        p.putObject("input_fps").put("ir", 0.0).put("vis", 0.0);
        p.putObject("latency_ms").putNull("p50").putNull("p99");
        p.putObject("drops").put("unpaired", 0).put("backpressure", 0).put("skipped", 0).put("output", 0);
        p.put("restarts", 0).put("frames", 0);
        p.putArray("outputs").add("fused-" + id + ".mp4");
        return p;
    }

    synchronized void addPair(ObjectNode pair) {
        pairs.put(pair.get("id").asText(), pair);
    }

    synchronized void removePair(String id) {
        pairs.remove(id);
        snapshots.remove(id);
    }

    synchronized boolean hasPair(String id) {
        return pairs.containsKey(id);
    }

    /** The pair's latest frame from now on: a width x height JPEG (a test card with its id), encoded by OpenCV. */
    synchronized void setSnapshot(String id, int width, int height) {
        snapshots.put(id, CARDS.computeIfAbsent(id + "@" + width + "x" + height, k -> testCard(id, width, height)));
    }

    /**
     * Encodes the test cards the tests show (loading OpenCV's natives, seconds on a busy machine):
     * for a background thread while the browser starts.
     */
    static void prepareTestCards() {
        for (String id : List.of("gate-1", "yard-2")) {
            CARDS.computeIfAbsent(id + "@320x240", k -> testCard(id, 320, 240));
        }
        CARDS.computeIfAbsent("gate-1@640x480", k -> testCard("gate-1", 640, 480));
    }

    /** From now on GET /api/pairs answers 500 with this error ({@code null}: normally again). */
    void failListing(String error) {
        this.listingError = error;
    }

    void requireToken(String token) {
        this.token = token;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            requests.add(new Request(method, path + (query == null ? "" : "?" + query),
                    exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime()));
            if (path.equals("/") || path.startsWith("/status/")) {
                serveResource(exchange, path.equals("/") ? "index.html" : path.substring("/status/".length()));
            } else if (path.startsWith("/api/")) {
                String expected = token;
                if (expected != null && !("Bearer " + expected).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    sendJson(exchange, 401, JSON.createObjectNode().put("error", "a valid bearer token is required"));
                } else {
                    serveApi(exchange, method, path);
                }
            } else {
                sendJson(exchange, 404, JSON.createObjectNode().put("error", "no such resource: " + path));
            }
        }
    }

    private void serveResource(HttpExchange exchange, String name) throws IOException {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        InputStream in = name.contains("/") || !CONTENT_TYPES.containsKey(extension) ? null
                : StatusPageServer.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (in == null) {
            sendJson(exchange, 404, JSON.createObjectNode().put("error", "no such file: " + name));
            return;
        }
        try (in) {
            send(exchange, 200, CONTENT_TYPES.get(extension), in.readAllBytes());
        }
    }

    private synchronized void serveApi(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/api/pairs") && method.equals("GET")) {
            if (listingError != null) {
                sendJson(exchange, 500, JSON.createObjectNode().put("error", listingError));
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.putArray("pairs").addAll(pairs.values());
            sendJson(exchange, 200, body);
            return;
        }
        Matcher m = PAIR_PATH.matcher(path);
        if (!m.matches()) {
            sendJson(exchange, 404, JSON.createObjectNode().put("error", "no such resource: " + path));
            return;
        }
        String id = m.group(1);
        String action = m.group(2) == null ? "" : m.group(2);
        ObjectNode pair = pairs.get(id);
        if (pair == null) {
            sendJson(exchange, 404, JSON.createObjectNode().put("error", "no pair '" + id + "'"));
            return;
        }
        switch (method + " " + action) {
            case "GET " -> sendJson(exchange, 200, pair);
            case "DELETE " -> {
                removePair(id);
                send(exchange, 204, null, null);
            }
            case "POST /restart" -> {
                pair.put("state", "starting").putNull("reason").put("frames", 0).put("fps", 0.0)
                        .put("restarts", pair.get("restarts").asInt() + 1);
                sendJson(exchange, 202, pair);
            }
            case "GET /snapshot.jpg" -> {
                byte[] jpeg = snapshots.get(id);
                if (jpeg == null) {
                    sendJson(exchange, 503, JSON.createObjectNode().put("error", "pair '" + id + "' has no frame yet"));
                } else {
                    send(exchange, 200, "image/jpeg", jpeg);
                }
            }
            default -> sendJson(exchange, 405, JSON.createObjectNode().put("error", method + " not allowed on " + path));
        }
    }

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            exchange.getResponseBody().write(body);
        }
    }

    /** A JPEG test card: a colour ramp with a disc and the pair id. */
    private static byte[] testCard(String id, int width, int height) {
        try (Mat card = new Mat(height, width, CV_8UC3); BytePointer jpeg = new BytePointer()) {
            byte[] pixels = new byte[width * height * 3];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = (y * width + x) * 3;
                    pixels[i] = (byte) (255 * x / width);
                    pixels[i + 1] = (byte) (255 * y / height);
                    pixels[i + 2] = (byte) (id.hashCode() & 0xff);
                }
            }
            card.data().put(pixels);
            try (Point centre = new Point(width / 2, height / 2); Scalar white = new Scalar(255, 255, 255, 0);
                    Point text = new Point(width / 10, height / 8 + 20)) {
                circle(card, centre, height / 4, white, 3, LINE_AA, 0);
                putText(card, id, text, FONT_HERSHEY_SIMPLEX, width / 400.0, white, 2, LINE_AA, false);
            }
            if (!imencode(".jpg", card, jpeg)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            byte[] bytes = new byte[(int) jpeg.limit()];
            jpeg.get(bytes);
            return bytes;
        }
    }
}
