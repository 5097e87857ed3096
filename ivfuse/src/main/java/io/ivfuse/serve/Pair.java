package io.ivfuse.serve;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Timer;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigValidator;
import io.ivfuse.config.InputRoles;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.job.FusionJob;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.registration.Calibration;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.InputPlan;
import io.ivfuse.util.Backoff;
import io.ivfuse.util.Redaction;
import io.ivfuse.util.ThreadNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera pair of a service: a thread of its own (named after the pair, as are all the threads
 * its runs start) that runs the pair's {@link FusionJob} and keeps it running. A config the pair
 * cannot run with (a bad URL, an unreadable calibration, an unknown engine) marks it failed with
 * the reason; a run that ends in an error (a crash, a camera that was never up) is started again
 * after an exponential backoff and counted, a live input that drops out is reconnected by the run
 * itself. Other pairs never notice.
 */
final class Pair {
    private static final Logger log = LoggerFactory.getLogger(Pair.class);
    static final long RESTART_INITIAL_MS = 500;
    static final long RESTART_MAX_MS = 30_000;

    enum State {
        STARTING("starting"), ONLINE("online"), RECONNECTING("reconnecting"), IR_DOWN("ir-down"), VIS_DOWN("vis-down"),
        FAILED("failed"), STOPPED("stopped");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    final PairSpec spec;
    final Snapshots snapshots = new Snapshots();
    /** Fusion threads of each run unless the config sets them: every pair the same, for fair shares of the budget. */
    private final int fusionThreads;
    private final ServiceMetrics serviceMetrics;
    private final SharedEngines engines;
    private final PrintWriter console;
    private final Counter restarts;
    private final Timer budgetWaits;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object wake = new Object();
    private volatile boolean stopping;
    private volatile boolean restartNow;
    private volatile FusionJob job;
    private volatile PipelineMetrics metrics;
    /** FAILED, STOPPED or STARTING with a reason; the live states come from the running job's inputs. */
    private volatile State settled = State.STARTING;
    private volatile String reason;
    private volatile String engine;

    Pair(PairSpec spec, int fusionThreads, ServiceMetrics serviceMetrics, SharedEngines engines, PrintWriter console) {
        this.spec = spec;
        this.fusionThreads = fusionThreads;
        this.serviceMetrics = serviceMetrics;
        this.engines = engines;
        this.console = console;
        this.engine = spec.config().fusion.engine;
        this.restarts = serviceMetrics.registry.counter(ServiceMetrics.pairName(spec.id(), "ivfuse.pair.restarts"));
        this.budgetWaits = serviceMetrics.registry.timer(ServiceMetrics.pairName(spec.id(), "ivfuse.fusion.budget_wait"));
        String online = ServiceMetrics.pairName(spec.id(), "ivfuse.pair.online");
        serviceMetrics.registry.remove(online); // a previous Pair of this id (restarted by a reload)
        serviceMetrics.registry.register(online, (Gauge<Integer>) () -> state() == State.ONLINE ? 1 : 0);
        this.thread = new Thread(this::supervise, "ivfuse-pair@" + spec.id());
        thread.setDaemon(true);
    }

    String id() {
        return spec.id();
    }

    void start() {
        thread.start();
    }

    /** Stops the running job (outputs finished) and the restarts; see {@link #awaitStopped}. */
    void stop() {
        stopping = true;
        FusionJob j = job;
        if (j != null) {
            j.requestStop();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    boolean awaitStopped(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Ends the current run (outputs finished) and starts a new one at once; counted as a restart. */
    void restart() {
        restartNow = true;
        FusionJob j = job;
        if (j != null) {
            j.requestStop();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** A restart by request that made a new Pair (a reload's, a failed pair's): counted on the pair's counter. */
    void countRestart() {
        restarts.inc();
    }

    void countRestartIf(boolean restarted) {
        if (restarted) {
            restarts.inc();
        }
    }

    long restarts() {
        return restarts.getCount();
    }

    String engine() {
        return engine;
    }

    /** Why the pair is not online, in one line; null when it is. */
    String reason() {
        return switch (state()) {
            case ONLINE -> null;
            case IR_DOWN -> "the IR input is down (reconnecting)";
            case VIS_DOWN -> "the visible input is down (reconnecting)";
            case RECONNECTING -> "both inputs are down (reconnecting)";
            default -> reason; // starting (after a failed run: why), failed, stopped
        };
    }

    /** The metrics of the current (or last) run; null before the first. */
    PipelineMetrics metrics() {
        return metrics;
    }

    State state() {
        PipelineMetrics m = metrics;
        if (settled != State.STARTING || m == null || job == null) {
            return settled;
        }
        boolean vis = m.vis.online();
        boolean ir = m.ir.online();
        if (!vis && !ir) {
            return m.framesOut.getCount() > 0 ? State.RECONNECTING : State.STARTING;
        }
        if (!ir) {
            return State.IR_DOWN;
        }
        if (!vis) {
            return State.VIS_DOWN;
        }
        return m.framesOut.getCount() > 0 ? State.ONLINE : State.STARTING;
    }

    private void supervise() {
        ThreadNames.scope(spec.id());
        Backoff backoff = new Backoff(RESTART_INITIAL_MS, RESTART_MAX_MS);
        boolean first = true;
        try {
            IvfuseConfig checked;
            try {
                checked = spec.newConfig(fusionThreads);
                runnable(checked);
            } catch (IvfuseException e) {
                fail(e.getMessage());
                return;
            }
            boolean live = isLive(checked);
            while (!stopping) {
                IvfuseConfig c = spec.newConfig(fusionThreads);
                if (!first) {
                    c.output.overwrite = true; // the files are this pair's own, from its previous run
                }
                first = false;
                restartNow = false;
                String failure = runOnce(c);
                if (stopping) {
                    break;
                }
                if (failure == null && !restartNow) {
                    settled = State.STOPPED;
                    reason = "the inputs ended";
                    log.info("pair {}: {}", id(), reason);
                    return;
                }
                restarts.inc();
                if (restartNow) {
                    backoff.reset();
                    continue;
                }
                if (!live && failure.startsWith("2:")) {
                    fail(failure.substring(2)); // a file that cannot be read now will not be readable later
                    return;
                }
                long wait = backoff.next();
                settled = State.STARTING;
                reason = failure.substring(2) + " (restarting in " + wait + " ms)";
                log.warn("pair {}: {}", id(), Redaction.redact(reason));
                pause(wait);
            }
            settled = State.STOPPED;
            reason = "stopped";
        } finally {
            finished.countDown();
        }
    }

    /** One run to its end; null when it ended normally, else "exit code:message". */
    private String runOnce(IvfuseConfig c) {
        PipelineMetrics m = new PipelineMetrics();
        FusionJob j = new FusionJob(c, console).engines(engines.forPair(budgetWaits, InputRoles.of(c).mode())).frameListener(snapshots).withMetrics(m);
        serviceMetrics.attach(id(), m);
        metrics = m;
        job = j;
        if (stopping || restartNow) {
            j.requestStop();
        }
        settled = State.STARTING;
        try {
            j.run();
            return null;
        } catch (IvfuseException e) {
            return e.exitCode() + ":" + Redaction.redact(e.getMessage());
        } catch (RuntimeException | Error e) { // a crashed pipeline: restarted, never the service's end
            log.error("pair {}: run failed", id(), e);
            return "1:internal error: " + Redaction.redact(e.toString());
        } finally {
            job = null;
            serviceMetrics.detach(id(), m);
        }
    }

    /**
     * What the pair's config needs before a run can start, checked once: the config itself, both
     * input locations, the calibration file and the engine. These don't get better by retrying.
     */
    static void runnable(IvfuseConfig c) {
        ConfigValidator.validate(c);
        InputRoles roles = InputRoles.of(c);
        inputPlans(c, roles);
        if (c.registration.calibration != null) {
            Calibration.load(Path.of(c.registration.calibration));
        }
        Path model = c.fusion.model == null ? null : Path.of(c.fusion.model);
        FusionEngines.provider(c.fusion.engine, roles.mode(), new EngineOptions(model, 0, c.fusion.params));
    }

    /** The inputs the pair's mode reads: visible + IR, under + over, or one bracketed stream. */
    private static List<InputPlan> inputPlans(IvfuseConfig c, InputRoles roles) {
        InputPlan first = InputKinds.plan(roles.firstRole(), roles.first(), c.input.live);
        return roles.bracketed() ? List.of(first) : List.of(first, InputKinds.plan(roles.secondRole(), roles.second(), c.input.live));
    }

    private static boolean isLive(IvfuseConfig c) {
        return inputPlans(c, InputRoles.of(c)).stream().anyMatch(InputPlan::live);
    }

    private void fail(String why) {
        settled = State.FAILED;
        reason = Redaction.redact(why);
        log.error("pair {} failed: {}", id(), reason);
    }

    private void pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (wake) {
            long left;
            while (!stopping && !restartNow && (left = until - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(wake, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
