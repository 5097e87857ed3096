package io.ivfuse.cli;

import io.ivfuse.job.FusionJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) as stop requests: the job stops reading, finishes the frames in
 * flight, closes every output and the command returns normally, so a stopped run exits 0 (the
 * JVM's own handling would run shutdown hooks and exit 143). A second signal exits at once.
 * A shutdown hook still covers other ways out (System.exit elsewhere, SIGHUP).
 */
final class StopSignals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT"};
    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
    private final Thread hook;
    private volatile boolean stopping;

    StopSignals(FusionJob job) {
        this(job::requestStop, job::awaitFinished);
    }

    /** What a signal stops: a run, or a service of many. */
    @FunctionalInterface
    interface Finish {
        boolean await(long millis) throws InterruptedException;
    }

    StopSignals(Runnable requestStop, Finish finished) {
        for (int i = 0; i < SIGNALS.length; i++) {
            String name = SIGNALS[i];
            previous[i] = Signal.handle(new Signal(name), s -> {
                if (stopping) {
                    log.warn("second SIG{}: exiting without finishing the outputs", name);
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                stopping = true;
                log.info("SIG{}: stopping; finishing the frames in flight and closing the outputs", name);
                requestStop.run();
            });
        }
        hook = new Thread(() -> {
            requestStop.run();
            try {
                finished.await(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ivfuse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        for (int i = 0; i < SIGNALS.length; i++) {
            Signal.handle(new Signal(SIGNALS[i]), previous[i]);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it waits for the job.
        }
    }
}
