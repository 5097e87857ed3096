package io.ivfuse.sink;

import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.pipeline.FrameSink;

/** Writes the fused stream (fused Y, visible chroma) to a video file. */
public final class VideoFileSink implements FrameSink {
    private final VideoEncoder encoder;
    private long firstUs = Long.MIN_VALUE;

    public VideoFileSink(VideoEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry geometry) {
        if (firstUs == Long.MIN_VALUE) {
            firstUs = frame.visibleUs;
        }
        encoder.write(frame.output, frame.visibleUs - firstUs);
    }

    public String codec() {
        return encoder.codec();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
