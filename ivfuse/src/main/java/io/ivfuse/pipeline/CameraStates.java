package io.ivfuse.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each change in what the output shows because of the cameras (fused, visible only, IR
 * only, paused), once per change rather than once per frame. A state must last
 * {@link #SETTLE_NANOS} to be reported, so a single late IR frame (counted as visible-only all the
 * same) doesn't flood the log with "down" and "back" pairs.
 */
final class CameraStates {
    private static final Logger log = LoggerFactory.getLogger(CameraStates.class);
    private static final long SETTLE_NANOS = 500_000_000L;

    enum State { FUSING, VISIBLE_ONLY, IR_ONLY, PAUSED }

    private State reported = State.FUSING;
    private long reportedSince = System.nanoTime();
    private State candidate = State.FUSING;
    private long candidateSince = reportedSince;

    /** Called with the current state for every frame (or poll): reports it once it has settled. */
    void enter(State next) {
        long now = System.nanoTime();
        if (next != candidate) {
            candidate = next;
            candidateSince = now;
        }
        if (candidate == reported || now - candidateSince < SETTLE_NANOS) {
            return;
        }
        double after = (candidateSince - reportedSince) / 1e9;
        switch (candidate) {
            case FUSING -> log.info("both inputs delivering again after {} s: fusing", seconds(after));
            case VISIBLE_ONLY -> log.warn("no IR frame: passing the visible frames through unfused until the IR input is back");
            case IR_ONLY -> log.warn("visible input down: writing the registered IR frames alone until it is back");
            case PAUSED -> log.warn("visible input down: output paused until it is back");
        }
        reported = candidate;
        reportedSince = candidateSince;
    }

    private static String seconds(double s) {
        return String.format("%.1f", s);
    }
}
