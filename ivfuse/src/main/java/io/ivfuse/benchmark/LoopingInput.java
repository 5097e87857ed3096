package io.ivfuse.benchmark;

import io.ivfuse.IvfuseException;
import io.ivfuse.source.Decoding;
import io.ivfuse.source.InputFrame;
import io.ivfuse.source.InputPlan;
import io.ivfuse.source.VideoSource;

/**
 * One recorded input, decoded as a run's reader thread decodes it ({@link Decoding}: FFmpeg
 * decodes and converts to the pipeline's pixel format, then the copier fills a queue slot), and
 * started again from the beginning when it ends, so that any number of frames can be timed.
 */
final class LoopingInput implements AutoCloseable {
    private final InputPlan plan;
    private final Decoding decoding;
    private final InputFrame slot;
    private VideoSource video;
    private Decoding.Copier copier;
    private int restarts;

    LoopingInput(InputPlan plan, Decoding decoding) {
        if (plan.live()) {
            throw new IvfuseException(plan.label() + " is live: bench times recordings as fast as they decode"
                    + " (record the camera first, e.g. ivfuse run ... -o clip.mp4)");
        }
        this.plan = plan;
        this.decoding = decoding;
        this.video = decoding.open(plan, 0, 0);
        this.copier = decoding.copier(video);
        this.slot = decoding.newFrame(video.width(), video.height());
    }

    /** Decodes the next frame into the slot; at the end of the file starts it again, off the clock. */
    InputFrame next(StageClock clock) {
        while (!video.grab()) {
            clock.exclude(this::restart);
        }
        copier.copy(video, slot);
        return slot;
    }

    private void restart() {
        copier.close();
        video.close();
        video = decoding.open(plan, 0, 0);
        copier = decoding.copier(video);
        restarts++;
    }

    int width() {
        return video.width();
    }

    int height() {
        return video.height();
    }

    /** Nominal frame rate; 0 when the file does not say. */
    double frameRate() {
        return video.frameRate();
    }

    /** How often the file was started again (0: it held every frame asked for). */
    int restarts() {
        return restarts;
    }

    @Override
    public void close() {
        copier.close();
        video.close();
    }
}
