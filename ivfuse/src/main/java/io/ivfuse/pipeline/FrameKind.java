package io.ivfuse.pipeline;

/** What a ring slot's output picture shows. */
public enum FrameKind {
    /** Visible and IR fused by the engine. */
    FUSED,
    /** The visible frame unfused: the live IR camera is late or down. */
    VISIBLE_ONLY,
    /** The registered IR frame alone (neutral chroma): the visible camera is down ({@code visible_down: ir-only}). */
    IR_ONLY,
    /** Not fused, to keep {@code fusion.max_fps}: shows the visible frame or the last fused one ({@code fusion.skipped}). */
    SKIPPED
}
