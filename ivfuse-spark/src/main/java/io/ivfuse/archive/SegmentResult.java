package io.ivfuse.archive;

import io.ivfuse.metrics.RunSummary;
import java.io.Serializable;

/**
 * What became of one segment's task, for the driver to join and report.
 *
 * @param error    why it failed (one line naming the file or frame), null when it succeeded
 * @param attempts task attempts Spark made (1 when the first succeeded)
 * @param seconds  fusion time of the successful attempt
 */
record SegmentResult(Segment segment, String error, int attempts, long framesOut, double seconds) implements Serializable {

    static SegmentResult ok(Segment segment, int attempts, RunSummary summary) {
        return new SegmentResult(segment, null, attempts, summary.framesOut, summary.seconds);
    }

    static SegmentResult failed(Segment segment, int attempts, String error) {
        return new SegmentResult(segment, error, attempts, 0, 0);
    }

    boolean succeeded() {
        return error == null;
    }
}
