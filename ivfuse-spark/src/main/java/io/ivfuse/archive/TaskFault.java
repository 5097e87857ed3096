package io.ivfuse.archive;

import java.io.Serializable;

/**
 * A failure injected into a segment's task at one output frame (tests only: a task killed midway,
 * to check that Spark's retry leaves neither duplicate nor missing frames).
 */
@FunctionalInterface
interface TaskFault extends Serializable {
    TaskFault NONE = (segment, attempt, frame) -> { };

    /** Called on the output thread after fused frame {@code frame} (0-based, of the segment) of {@code attempt} (0-based) is written. */
    void atFrame(Segment segment, int attempt, long frame);
}
