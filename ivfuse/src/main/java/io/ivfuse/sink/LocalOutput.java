package io.ivfuse.sink;

import com.codahale.metrics.MetricRegistry;
import io.ivfuse.pipeline.FrameEvent;
import io.ivfuse.pipeline.FrameGeometry;

/**
 * A file, segmented recording, HLS playlist, PNG folder or preview window: written synchronously on
 * the ring's output thread, so it never loses a frame (the ring waits for it, as for any file).
 */
final class LocalOutput extends Output {
    private final OutputView view;
    private final PictureWriter writer;
    private final Runnable discard;
    private long firstUs = Long.MIN_VALUE;
    private volatile boolean closed;
    private volatile boolean failed;
    private long framesOnDisk = -1;

    /** @param discard removes what opening created, after a failed run that wrote no frame (or null) */
    LocalOutput(OutputTarget target, MetricRegistry registry, OutputView view, PictureWriter writer, Runnable discard) {
        super(target, registry);
        this.view = view;
        this.writer = writer;
        this.discard = discard;
    }

    @Override
    public void write(FrameEvent frame, FrameGeometry geometry) {
        if (firstUs == Long.MIN_VALUE) {
            firstUs = frame.visibleUs;
        }
        try {
            writer.write(view.picture(frame, geometry), frame.index, frame.visibleUs - firstUs);
        } catch (OutputWriteException e) {
            failed = true;
            throw e;
        }
        metrics.frames.mark();
    }

    @Override
    public boolean failed() {
        return failed;
    }

    /** After closing: a failed file's frames are counted in it (once). */
    @Override
    synchronized long frames() {
        if (!failed || !closed) {
            return super.frames();
        }
        if (framesOnDisk < 0) {
            framesOnDisk = writer.framesOnDisk(super.frames());
        }
        return framesOnDisk;
    }

    @Override
    public String encoder() {
        return writer.encoder();
    }

    @Override
    public boolean online() {
        return !closed;
    }

    @Override
    void discardEmpty() {
        if (discard != null && metrics.frames.getCount() == 0) {
            discard.run();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (OutputWriteException e) {
            failed = true;
            throw e;
        } finally {
            view.close();
        }
    }
}
