package io.ivfuse.pipeline;

/**
 * Sees each fused frame on the output thread, after the sinks, in order (for figures computed
 * during a run, such as temporal stability). Must not keep references to the frame's buffers.
 */
@FunctionalInterface
public interface FrameListener {

    void onOutput(FrameEvent frame);
}
