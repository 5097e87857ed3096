package io.ivfuse.pipeline;

/**
 * Where fused frames go (a video file, an image sequence, a preview window). Called on the output
 * thread, in frame order. {@link #close()} finishes the output (writes a file's trailer) and is
 * idempotent.
 */
public interface FrameSink extends AutoCloseable {

    void write(FrameEvent frame, FrameGeometry geometry);

    @Override
    void close();
}
