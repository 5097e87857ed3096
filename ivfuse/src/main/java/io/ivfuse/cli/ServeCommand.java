package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.serve.ServeHttp;
import io.ivfuse.serve.Service;
import io.ivfuse.serve.SiteConfig;
import io.ivfuse.util.Redaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code ivfuse serve}: every camera pair of a site file in one process, with Prometheus metrics,
 * health probes, a control API and a status page over HTTP. SIGTERM/SIGINT stop every pair (outputs
 * finished) and exit 0; SIGHUP re-reads the site file, as {@code POST /api/reload} does.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the camera pairs of a site file as one service, with metrics, health, a control API and a status page.")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Site file: serve:, defaults: (a run config) and pairs: (id, input, calibration, engine, outputs, overrides).")
    Path configFile;
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where the HTTP endpoints listen (default serve.listen, 127.0.0.1:8080; port 0 = any free).")
    String listen;
    @Option(names = "--token-file", paramLabel = "FILE", description = "A bearer token every endpoint but /health/* and the page's files requires.")
    Path tokenFile;

    @Override
    public Integer call() throws InterruptedException {
        String token = tokenFile == null ? null : readToken(tokenFile);
        SiteConfig site = SiteConfig.load(configFile);
        String where = listen != null ? listen : site.serve.listen;
        int colon = where == null ? -1 : where.lastIndexOf(':');
        int port = colon < 0 ? -1 : parsePort(where.substring(colon + 1));
        if (port < 0) {
            throw new IvfuseException((listen != null ? "--listen" : "config key 'serve.listen'") + ": expected HOST:PORT, got '" + where + "'");
        }
        Natives.fusionRun();
        PrintWriter out = spec.commandLine().getOut();
        Service service = new Service(configFile, site, out);
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (ServeHttp http = new ServeHttp(service, where.substring(0, colon), port, token);
             StopSignals ignored = new StopSignals(stopRequested::countDown, millis -> closed.await(millis, TimeUnit.MILLISECONDS))) {
            if (Signal.handle(new Signal("HUP"), s -> reloadInBackground(service)) == SignalHandler.SIG_IGN) {
                // The JVM leaves a signal that was ignored at start (nohup) ignored: say so, or a reload silently does nothing.
                log.warn("SIGHUP is ignored by this process (started under nohup?): it will not reload; use POST /api/reload");
            }
            service.start();
            out.println("ivfuse serve: listening on http://" + where.substring(0, colon) + ":" + http.port() + "/ ("
                    + service.size() + " pairs)");
            out.flush();
            stopRequested.await();
            log.info("stopping every pair; finishing their outputs");
            service.close(); // while the signal handlers are in place: a second SIGTERM exits at once
        } finally {
            service.close();
            closed.countDown();
        }
        out.println("ivfuse serve: stopped");
        out.flush();
        return 0;
    }

    /** SIGHUP: reload on a thread of its own (stopping pairs takes a while); a bad file is reported and changes nothing. */
    private static void reloadInBackground(Service service) {
        Thread t = new Thread(() -> {
            try {
                service.reload();
            } catch (IvfuseException e) {
                log.error("SIGHUP: reload refused, the running config stays: {}", Redaction.redact(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ivfuse-reload");
        t.setDaemon(true);
        t.start();
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The token file's first line; missing, unreadable or empty is an error naming the file. */
    static String readToken(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IvfuseException("--token-file " + file + ": cannot read it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        String token = text.strip().split("\\R", 2)[0].strip();
        if (token.isEmpty()) {
            throw new IvfuseException("--token-file " + file + ": the file is empty (it must hold the token)");
        }
        Redaction.addSecret(token);
        return token;
    }
}
