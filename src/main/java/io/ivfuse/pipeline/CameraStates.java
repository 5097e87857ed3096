package io.ivfuse.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each change in what the output shows because of the cameras (fused, visible only, IR
 * only, paused), once per change rather than once per frame.
 */
final class CameraStates {
    private static final Logger log = LoggerFactory.getLogger(CameraStates.class);

    enum State { FUSING, VISIBLE_ONLY, IR_ONLY, PAUSED }

    private State state = State.FUSING;
    private long sinceNanos = System.nanoTime();

    void enter(State next) {
        if (next == state) {
            return;
        }
        double after = (System.nanoTime() - sinceNanos) / 1e9;
        switch (next) {
            case FUSING -> log.info("both inputs delivering again after {} s: fusing", seconds(after));
            case VISIBLE_ONLY -> log.warn("no IR frame: passing the visible frames through unfused until the IR input is back");
            case IR_ONLY -> log.warn("visible input down: writing the registered IR frames alone until it is back");
            case PAUSED -> log.warn("visible input down: output paused until it is back");
        }
        state = next;
        sinceNanos = System.nanoTime();
    }

    private static String seconds(double s) {
        return String.format("%.1f", s);
    }
}
