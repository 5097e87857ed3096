package io.ivfuse.sync;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.source.InputFrame;
import java.util.Locale;

/**
 * Sliding pairs of an alternating-exposure stream ({@code --bracketed}): each frame is paired with
 * the latest frame of the other exposure, so every input frame gives one output frame and the
 * output keeps the input's frame rate. Frames are labelled by {@link ExposureLabeler}; the latest
 * frame of each exposure, and the frame before the first change, are kept in slots of their own
 * (allocated once; a frame is copied once, into the slot of its label).
 *
 * <p>A stream whose exposure has not changed within {@link #PROBE_FRAMES} frames, or by its end,
 * is refused with an error naming it. Used by the pairing thread only.
 */
public final class BracketPairer {
    /** Frames a bracketed stream may show before its exposure must have changed once. */
    public static final int PROBE_FRAMES = 12;
    /** Mean luminance is taken on every {@code SAMPLE_STEP}-th pixel of every {@code SAMPLE_STEP}-th row. */
    static final int SAMPLE_STEP = 4;

    private final String label;
    private final ExposureLabeler labeler = new ExposureLabeler();
    private InputFrame under;
    private InputFrame over;
    private InputFrame pending;
    private InputFrame spare;
    private boolean haveUnder;
    private boolean haveOver;
    private boolean havePending;
    private ExposureLabeler.Exposure current = ExposureLabeler.Exposure.UNKNOWN;
    private long paired;

    /** @param label the stream as messages name it (redacted) */
    public BracketPairer(String label, int width, int height) {
        this.label = label;
        under = InputFrame.yuv420(width, height);
        over = InputFrame.yuv420(width, height);
        pending = InputFrame.yuv420(width, height);
        spare = InputFrame.yuv420(width, height);
    }

    /**
     * Labels {@code frame} and returns the latest frame of the other exposure to fuse it with, or
     * null when there is none yet. Then keeps a copy of {@code frame} ({@code frame} itself stays
     * the caller's). Throws when the exposure has not changed within {@link #PROBE_FRAMES} frames.
     */
    public InputFrame pair(InputFrame frame) {
        ExposureLabeler.Exposure before = current;
        current = labeler.label(meanLuma(frame.plane()));
        if (current == ExposureLabeler.Exposure.UNKNOWN) {
            if (labeler.frames() >= PROBE_FRAMES) {
                throw neverChanges();
            }
            copy(frame, pending);
            havePending = true;
            return null;
        }
        if (before == ExposureLabeler.Exposure.UNKNOWN && havePending) {
            // the frames before the first step were the other exposure: the latest of them is its slot's
            InputFrame other = current == ExposureLabeler.Exposure.OVER ? swapIntoUnder(pending) : swapIntoOver(pending);
            pending = other;
            havePending = false;
        }
        InputFrame partner = isOver() ? (haveUnder ? under : null) : (haveOver ? over : null);
        if (partner != null) {
            paired++;
        }
        return partner;
    }

    /** Keeps {@code frame} as the latest of its exposure; call after the pair is published. */
    public void keep(InputFrame frame) {
        if (current == ExposureLabeler.Exposure.UNKNOWN) {
            return; // already copied into pending by pair()
        }
        // Copy into the spare slot and swap, so a partner returned by pair() stays intact until now.
        copy(frame, spare);
        if (isOver()) {
            spare = swapIntoOver(spare);
        } else {
            spare = swapIntoUnder(spare);
        }
    }

    /** Whether the frame last given to {@link #pair} is the brighter exposure. */
    public boolean isOver() {
        return current == ExposureLabeler.Exposure.OVER;
    }

    /** Frames fused with a partner so far. */
    /** Forgets the pairs counted so far: those of a pre-roll, which are not output. */
    public void resetCounts() {
        paired = 0;
    }

    public long pairedCount() {
        return paired;
    }

    /** At the end of the stream: throws when it never changed exposure. */
    public void checkEnd() {
        if (labeler.frames() > 0 && !labeler.changed()) {
            throw neverChanges();
        }
    }

    private InputFrame swapIntoUnder(InputFrame f) {
        InputFrame old = under;
        under = f;
        haveUnder = true;
        return old;
    }

    private InputFrame swapIntoOver(InputFrame f) {
        InputFrame old = over;
        over = f;
        haveOver = true;
        return old;
    }

    private IvfuseException neverChanges() {
        return new IvfuseException(String.format(Locale.ROOT,
                "%s: its exposure never changes (mean luminance %.1f to %.1f over %d frames; a step of more than %.1f"
                        + " levels is needed); a bracketed stream alternates under- and over-exposed frames",
                label, labeler.minMean(), labeler.maxMean(), labeler.frames(),
                ExposureLabeler.margin(labeler.maxMean(), labeler.maxMean())));
    }

    private static void copy(InputFrame from, InputFrame to) {
        to.plane().copyFrom(from.plane());
        to.chroma().put(0, from.chroma(), 0, from.chroma().capacity());
        to.setTimestampUs(from.timestampUs());
        to.setReceivedNanos(from.receivedNanos());
    }

    /** Mean of a grid of samples: enough to tell exposures apart, a sixteenth of the reads. */
    static double meanLuma(Plane y) {
        long sum = 0;
        long n = 0;
        java.nio.ByteBuffer data = y.data();
        for (int row = SAMPLE_STEP / 2; row < y.height(); row += SAMPLE_STEP) {
            int base = row * y.stride();
            for (int x = SAMPLE_STEP / 2; x < y.width(); x += SAMPLE_STEP) {
                sum += data.get(base + x) & 0xFF;
                n++;
            }
        }
        if (n == 0) {
            return y.get(0, 0);
        }
        return (double) sum / n;
    }
}
