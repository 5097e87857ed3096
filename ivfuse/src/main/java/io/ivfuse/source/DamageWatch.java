package io.ivfuse.source;

import static org.bytedeco.ffmpeg.avutil.AVFrame.FF_DECODE_ERROR_CONCEALMENT_ACTIVE;

import io.ivfuse.metrics.InputMetrics;

/**
 * Finds the damage in what one connection decodes and counts it in the input's metrics: frames
 * the decoder flagged (the AVFrame's decode error flags or its corrupt flag: per frame, from the
 * decoder itself, so attributed to the right input whatever threads FFmpeg decodes on); in a
 * recording, frames missing from its timeline (a decoder that rejects a whole frame outputs
 * nothing, and JavaCV does not report the error), frames whose timestamp goes back (data
 * repeated or out of place: a recording is decoded in presentation order; equal timestamps are
 * left alone, as a raw stream without any shows them), and an
 * end before the one it declares (a truncated file, or a demuxer that gave up on damaged data,
 * which JavaCV reports as a normal end).
 */
final class DamageWatch {
    /** A gap of more than this many frame intervals between two frames means frames are missing. */
    private static final double GAP_INTERVALS = 1.5;
    /**
     * A recording may end this much short of the end it declares: the same 1.5 frame intervals
     * (a last frame longer than the others), or 100 ms when the frame rate is unknown.
     */
    private static final long UNKNOWN_RATE_SHORTFALL_US = 100_000;

    private final InputMetrics metrics;
    private final boolean recording;
    private final double intervalUs;
    private final boolean constantRate;
    private long lastUs = Long.MIN_VALUE;
    private long rejectedSeen;

    /** @param recording a recorded file or sequence read once (not a camera, nor a recording played as one) */
    DamageWatch(InputMetrics metrics, boolean recording, VideoSource video) {
        this.metrics = metrics;
        this.recording = recording;
        double fps = video.frameRate();
        this.intervalUs = fps > 0 ? 1e6 / fps : 0;
        this.constantRate = recording && intervalUs > 0 && video.constantFrameRate();
    }

    /** Checks the frame just decoded. */
    void frame(VideoSource video) {
        countRejected(video);
        int flags = video.decodeErrorFlags();
        if (flags != 0 || video.corrupt()) {
            metrics.decodeErrors.inc();
            if ((flags & FF_DECODE_ERROR_CONCEALMENT_ACTIVE) != 0) {
                metrics.concealed.inc();
            }
        }
        if (!recording) {
            return;
        }
        long t = video.timestampUs();
        if (lastUs != Long.MIN_VALUE) {
            if (t < lastUs) {
                metrics.outOfOrder.inc();
                return;
            }
            if (constantRate && t - lastUs > GAP_INTERVALS * intervalUs) {
                metrics.missingFrames.inc(Math.round((t - lastUs) / intervalUs) - 1);
            }
        }
        lastUs = t;
    }

    /** The stream has ended by itself (not stopped): a recording that ends early is recorded as truncated. */
    void ended(VideoSource video) {
        countRejected(video);
        if (!recording || lastUs == Long.MIN_VALUE) {
            return;
        }
        long endedAt = lastUs + Math.round(intervalUs);
        long declared = video.declaredEndUs();
        String readError = video.readError();
        long allowed = intervalUs > 0 ? Math.round(GAP_INTERVALS * intervalUs) : UNKNOWN_RATE_SHORTFALL_US;
        boolean endsShort = declared > 0 && declared - endedAt > allowed;
        if (endsShort || readError != null) {
            metrics.truncated(endedAt, endsShort ? declared : -1, readError);
        }
    }

    /** Packets the decoder refused and pictures it failed to decode: damage that never became a frame. */
    private void countRejected(VideoSource video) {
        long rejected = video.rejectedPictures();
        if (rejected > rejectedSeen) {
            metrics.decodeErrors.inc(rejected - rejectedSeen);
            rejectedSeen = rejected;
        }
    }
}
