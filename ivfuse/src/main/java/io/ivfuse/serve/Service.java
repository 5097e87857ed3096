package io.ivfuse.serve;

import com.codahale.metrics.Gauge;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera pairs of one site, each a {@link Pair} on threads of its own, sharing the loaded
 * engines and the fusion budget: add, remove, restart, reload from the site file, readiness.
 * Thread-safe: the HTTP threads, the signal handlers and the main thread all call in.
 */
public final class Service implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Service.class);
    /** How long stopping waits for each pair's outputs to be finished. */
    static final long STOP_TIMEOUT_MS = 20_000;

    /** A request the service turns down: 400 (invalid), 404 (unknown id), 409 (id taken). */
    public static final class Refused extends IvfuseException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What a reload did, by pair id. */
    public record Reload(List<String> started, List<String> stopped, List<String> restarted, List<String> unchanged) {
    }

    private final Path siteFile;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final FusionBudget budget;
    private final SharedEngines engines;
    private final PrintWriter console;
    /** In config order; API-added pairs after the file's. */
    private final Map<String, Pair> pairs = new LinkedHashMap<>();
    /** The ids that came from the site file (a reload manages these; pairs added through the API stay). */
    private final Set<String> fromFile = new HashSet<>();
    private SiteConfig site;
    private boolean closed;

    public Service(Path siteFile, SiteConfig site, PrintWriter console) {
        this.siteFile = siteFile;
        this.site = site;
        this.console = console;
        int threads = site.serve.fusionThreads > 0 ? site.serve.fusionThreads : Runtime.getRuntime().availableProcessors();
        this.budget = new FusionBudget(threads);
        this.engines = new SharedEngines(budget);
        metrics.registry.register("ivfuse.serve.pairs", (Gauge<Integer>) this::size);
        metrics.registry.register("ivfuse.serve.engines_loaded", (Gauge<Integer>) engines::loaded);
        metrics.registry.register("ivfuse.serve.fusion_budget", (Gauge<Integer>) budget::permits);
        metrics.registry.register("ivfuse.serve.fusion_in_use", (Gauge<Integer>) budget::inUse);
    }

    /** Starts every pair of the site file. */
    public synchronized void start() {
        List<PairSpec> specs = site.specs("config " + siteFile + ": ");
        for (PairSpec spec : specs) {
            fromFile.add(spec.id());
            launch(spec, specs.size());
        }
        log.info("serving {} pair(s); fusion budget {} thread(s)", specs.size(), budget.permits());
    }

    ServiceMetrics metrics() {
        return metrics;
    }

    SharedEngines engines() {
        return engines;
    }

    public synchronized int size() {
        return pairs.size();
    }

    public synchronized List<PairStatus> list() {
        List<PairStatus> all = new ArrayList<>();
        pairs.values().forEach(p -> all.add(PairStatus.of(p)));
        return all;
    }

    public synchronized PairStatus status(String id) {
        return PairStatus.of(pair(id));
    }

    synchronized Pair pair(String id) {
        Pair p = pairs.get(id);
        if (p == null) {
            throw new Refused(404, "no pair '" + id + "'");
        }
        return p;
    }

    /** Adds and starts a pair (a POSTed entry over the defaults); the entry is checked as at start. */
    public synchronized PairStatus add(PairEntry entry) {
        PairSpec spec;
        try {
            spec = site.merge(entry, "", "pair");
            if (pairs.containsKey(spec.id())) {
                throw new Refused(409, "a pair with id '" + spec.id() + "' exists");
            }
            Pair.runnable(spec.newConfig(1));
        } catch (Refused e) {
            throw e;
        } catch (IvfuseException e) {
            throw new Refused(400, e.getMessage());
        }
        return PairStatus.of(launch(spec, pairs.size() + 1));
    }

    /** Stops a pair (its outputs finished) and forgets it. */
    public void remove(String id) throws InterruptedException {
        Pair p;
        synchronized (this) {
            p = pair(id);
            pairs.remove(id);
            fromFile.remove(id);
        }
        stopAndForget(p, true);
    }

    public synchronized PairStatus restart(String id) {
        Pair p = pair(id);
        if (p.state() == Pair.State.FAILED || p.state() == Pair.State.STOPPED) {
            // A failed pair's thread has ended: a new one, with the same config.
            pairs.remove(id);
            Pair fresh = launch(p.spec, pairs.size() + 1);
            fresh.countRestart();
            return PairStatus.of(fresh);
        }
        p.restart();
        return PairStatus.of(p);
    }

    /**
     * Reads the site file again and brings the pairs it lists in line: new ones started, missing
     * ones stopped, changed ones (their merged config differs) restarted, the rest untouched. A file
     * that doesn't load changes nothing ({@link IvfuseException} naming the problem).
     */
    public Reload reload() throws InterruptedException {
        SiteConfig next = SiteConfig.load(siteFile);
        List<PairSpec> specs = next.specs("config " + siteFile + ": ");
        List<String> started = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<Pair> toStop = new ArrayList<>();
        List<PairSpec> toStart = new ArrayList<>();
        synchronized (this) {
            Set<String> listed = new HashSet<>();
            for (PairSpec spec : specs) {
                listed.add(spec.id());
                Pair running = pairs.get(spec.id());
                if (running == null) {
                    started.add(spec.id());
                    toStart.add(spec);
                } else if (!running.spec.tree().equals(spec.tree())) {
                    restarted.add(spec.id());
                    toStop.add(running);
                    toStart.add(spec);
                } else {
                    unchanged.add(spec.id());
                }
            }
            for (String id : fromFile) {
                if (!listed.contains(id)) {
                    stopped.add(id);
                    toStop.add(pairs.get(id));
                }
            }
            site = next;
        }
        for (Pair p : toStop) {
            stopAndForget(p, stopped.contains(p.id()));
        }
        synchronized (this) {
            toStop.forEach(p -> {
                if (pairs.get(p.id()) == p) {
                    pairs.remove(p.id());
                }
            });
            fromFile.removeAll(stopped);
            for (PairSpec spec : toStart) {
                fromFile.add(spec.id());
                launch(spec, specs.size()).countRestartIf(restarted.contains(spec.id()));
            }
            // Config order: the file's pairs as listed, then those added through the API.
            Map<String, Pair> ordered = new LinkedHashMap<>();
            specs.forEach(spec -> ordered.put(spec.id(), pairs.get(spec.id())));
            pairs.forEach(ordered::putIfAbsent);
            pairs.clear();
            pairs.putAll(ordered);
        }
        log.info("reloaded {}: started {}, stopped {}, restarted {}, unchanged {}", siteFile, started, stopped, restarted, unchanged);
        return new Reload(started, stopped, restarted, unchanged);
    }

    /** The pairs that are not producing output, with why; empty when the service is ready. */
    public synchronized Map<String, String> notReady() {
        Map<String, String> waiting = new LinkedHashMap<>();
        for (Pair p : pairs.values()) {
            Pair.State s = p.state();
            if (s != Pair.State.ONLINE) {
                waiting.put(p.id(), p.reason() != null ? s.label + ": " + p.reason() : s.label);
            }
        }
        return waiting;
    }

    /** Asks every pair to stop (outputs finished); {@link #close()} waits for them. */
    public synchronized void requestStop() {
        pairs.values().forEach(Pair::stop);
    }

    /** Stops every pair, waiting up to {@link #STOP_TIMEOUT_MS} for each one's outputs. */
    @Override
    public void close() throws InterruptedException {
        List<Pair> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(pairs.values());
        }
        all.forEach(Pair::stop);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
        for (Pair p : all) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!p.awaitStopped(Math.max(1, left))) {
                log.warn("pair {} did not stop within {} ms", p.id(), STOP_TIMEOUT_MS);
            }
        }
        metrics.close();
    }

    private Pair launch(PairSpec spec, int pairCount) {
        int threads = Math.max(1, budget.permits() / Math.max(1, pairCount));
        Pair p = new Pair(spec, threads, metrics, engines, console);
        pairs.put(spec.id(), p);
        p.start();
        return p;
    }

    /** Stops a pair, its outputs finished; {@code forget}: its metrics go too (it is not coming back). */
    private void stopAndForget(Pair p, boolean forget) throws InterruptedException {
        p.stop();
        if (!p.awaitStopped(STOP_TIMEOUT_MS)) {
            log.warn("pair {} did not stop within {} ms", p.id(), STOP_TIMEOUT_MS);
        }
        if (forget) {
            metrics.remove(p.id());
        }
    }

    /** Parses a POSTed pair entry; 400 naming the problem. */
    static PairEntry parseEntry(String json) {
        try {
            return ConfigLoader.fromJson(json, PairEntry.class);
        } catch (IvfuseException e) {
            throw new Refused(400, e.getMessage());
        }
    }
}
