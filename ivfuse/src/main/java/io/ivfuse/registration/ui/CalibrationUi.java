package io.ivfuse.registration.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ivfuse.IvfuseException;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.Correspondences;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.PointCalibrator;
import io.ivfuse.registration.RegistrationOverlay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code calibrate --ui}: a page on 127.0.0.1 where the user clicks IR/visible point pairs. Every
 * fit is the server's, through {@link PointCalibrator} (the page only collects clicks), so the
 * errors it shows and the file Save writes are those of {@code calibrate --points} with the same
 * pairs; the preview is the {@link RegistrationOverlay} picture that is saved beside the file.
 * The JDK's HTTP server (as {@code serve} uses), the page's files from the class path.
 *
 * <p>Endpoints: {@code GET /} (the page), {@code GET /calibrate/FILE}, {@code GET /api/session}
 * (sizes, model), {@code GET /ir.png}, {@code GET /vis.png}, and {@code POST /api/fit},
 * {@code /api/preview} (PNG), {@code /api/save}, each with the body {@link PointPairsJson}, and
 * {@code POST /api/quit}. Bad pairs are a 400 with {@code {"error": "..."}}, and nothing is written.
 */
public final class CalibrationUi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CalibrationUi.class);
    private static final String RESOURCES = "io/ivfuse/registration/ui/";
    private static final Pattern PAGE_FILE = Pattern.compile("/calibrate/([a-z]+\\.(html|js|css))");
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    private static final int MAX_BODY = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    static {
        // As for serve (ServeHttp): without TCP_NODELAY every answer waits ~40 ms for the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Writes the calibration of an accepted fit (and its overlay picture); returns the files written. */
    public interface Saver {
        List<Path> save(PointCalibrator.Fit fit);
    }

    private final Mat ir;
    private final Mat vis;
    private final FrameSize irSize;
    private final FrameSize visSize;
    private final Calibration.Model model;
    private final Saver saver;
    private final byte[] irPng;
    private final byte[] visPng;
    private final PointCalibrator calibrator = new PointCalibrator();
    private final CompletableFuture<PointCalibrator.Fit> outcome = new CompletableFuture<>();
    private final ExecutorService executor;
    private final HttpServer server;

    /**
     * Serves the page on 127.0.0.1:{@code port} (0: a free port). The images stay the caller's and
     * must outlive this.
     */
    public CalibrationUi(Mat ir, Mat vis, Calibration.Model model, int port, Saver saver) {
        this.ir = ir;
        this.vis = vis;
        this.irSize = new FrameSize(ir.cols(), ir.rows());
        this.visSize = new FrameSize(vis.cols(), vis.rows());
        this.model = model;
        this.saver = saver;
        this.irPng = Png.encode(ir);
        this.visPng = Png.encode(vis);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (BindException e) {
            throw new IvfuseException("--port " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "; is the port in use?)");
        } catch (IOException e) {
            throw new IvfuseException("--port " + port + ": " + e.getMessage());
        }
        // One thread: requests run one at a time, so fits, previews and the save never share the images at once.
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ivfuse-calibrate-ui");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The page's address. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /**
     * Waits until the page saved a calibration, and returns its fit.
     *
     * @throws IvfuseException when the user quit the page without saving
     */
    public PointCalibrator.Fit awaitSave() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw (IvfuseException) e.getCause();
        }
    }

    @Override
    public void close() {
        server.stop(1); // waits (up to 1 s) for the request under way: the answer to the save
        executor.shutdown();
    }

    private void handle(HttpExchange x) throws IOException {
        try { // not try-with-resources: that closes the exchange before a catch could answer
            route(x);
        } catch (IvfuseException e) {
            json(x, 400, Map.of("error", e.getMessage()));
        } catch (IOException e) {
            log.debug("{} {}: the page went away: {}", x.getRequestMethod(), x.getRequestURI().getPath(), e.toString());
        } catch (RuntimeException | Error e) {
            log.error("{} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
            json(x, 500, Map.of("error", "internal error: " + e));
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        if (!fromThisMachine(x)) {
            // Another Host is a page of some other site, reaching 127.0.0.1 through DNS rebinding.
            json(x, 403, Map.of("error", "this page answers only at " + url()));
            return;
        }
        Matcher file = PAGE_FILE.matcher(path);
        if (method.equals("GET")) {
            switch (path) {
                case "/" -> pageFile(x, "index.html");
                case "/ir.png" -> send(x, 200, "image/png", irPng);
                case "/vis.png" -> send(x, 200, "image/png", visPng);
                case "/api/session" -> json(x, 200, session());
                default -> {
                    if (file.matches()) {
                        pageFile(x, file.group(1));
                    } else {
                        json(x, 404, Map.of("error", "no such page: " + path));
                    }
                }
            }
            return;
        }
        if (!method.equals("POST")) {
            json(x, 405, Map.of("error", method + " is not allowed here"));
            return;
        }
        // A JSON body cannot come from another site's form or simple fetch: the browser would ask first (CORS).
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            json(x, 415, Map.of("error", "the body must be application/json"));
            return;
        }
        byte[] body = x.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IvfuseException("the request is larger than " + MAX_BODY + " bytes");
        }
        switch (path) {
            case "/api/fit" -> {
                List<Correspondences.Pair> pairs = PointPairsJson.parse(JSON, body);
                json(x, 200, FitReport.of(fit(pairs), pairs));
            }
            case "/api/preview" -> {
                try (Mat picture = RegistrationOverlay.picture(ir, vis, fit(PointPairsJson.parse(JSON, body)).calibration())) {
                    send(x, 200, "image/png", Png.encode(picture));
                }
            }
            case "/api/save" -> {
                List<Correspondences.Pair> pairs = PointPairsJson.parse(JSON, body);
                PointCalibrator.Fit fit = fit(pairs);
                List<Path> written = saver.save(fit);
                json(x, 200, Map.of("written", written.stream().map(Path::toString).toList(), "summary", fit.summary()));
                outcome.complete(fit);
            }
            case "/api/quit" -> {
                json(x, 200, Map.of("quit", true));
                outcome.completeExceptionally(new IvfuseException("the calibration page was quit without saving:"
                        + " nothing written"));
            }
            default -> json(x, 404, Map.of("error", "no such endpoint: " + path));
        }
    }

    private PointCalibrator.Fit fit(List<Correspondences.Pair> pairs) {
        return calibrator.fit(pairs, irSize, visSize, model);
    }

    private Map<String, Object> session() {
        boolean affine = model == Calibration.Model.AFFINE;
        return Map.of("ir", Map.of("width", irSize.width(), "height", irSize.height()),
                "vis", Map.of("width", visSize.width(), "height", visSize.height()),
                "model", affine ? "affine" : "homography", "min_pairs", affine ? 3 : 4,
                "outlier_px", PointCalibrator.OUTLIER_PX);
    }

    private boolean fromThisMachine(HttpExchange x) {
        String host = x.getRequestHeaders().getFirst("Host");
        int port = server.getAddress().getPort();
        return host != null && (host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port));
    }

    private static void pageFile(HttpExchange x, String name) throws IOException {
        try (InputStream in = CalibrationUi.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                json(x, 404, Map.of("error", "no such file: " + name));
                return;
            }
            send(x, 200, CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)), in.readAllBytes());
        }
    }

    private static void json(HttpExchange x, int status, Object body) throws IOException {
        send(x, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange x, int status, String contentType, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", contentType);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }
}
