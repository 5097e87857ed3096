package io.ivfuse.sync;

/** What the pairer decided for one visible frame. */
public enum PairDecision {
    /** An IR frame lies within tolerance: fuse with it. */
    PAIRED,
    /** No IR frame within tolerance, but the last one shown is fresh enough: fuse with it again. */
    HELD,
    /** No usable IR frame: the visible frame is skipped (and counted). Files. */
    DROPPED,
    /** No usable IR frame from a live IR input (late or down): the visible frame goes out unfused. */
    VISIBLE_ONLY,
    /** The streams are over (the shorter one ended, by default). */
    END
}
