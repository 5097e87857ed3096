package io.ivfuse.source;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * One decoded frame waiting in a {@link FrameQueue}: a reusable slot, allocated when the input
 * opens. Visible frames carry full-range Y in {@link #plane()} and their U and V planes, packed, in
 * {@link #chroma()}; IR frames carry 8-bit gray and no chroma.
 */
public final class InputFrame {
    private final Plane plane;
    private final ByteBuffer chroma;
    private long timestampUs;
    private long receivedNanos;

    public InputFrame(Plane plane, ByteBuffer chroma) {
        this.plane = plane;
        this.chroma = chroma;
    }

    /** A gray frame without chroma (IR, tests). */
    public static InputFrame gray(int width, int height) {
        return new InputFrame(Plane.allocate(width, height), null);
    }

    /** A visible frame: Y plus packed 4:2:0 chroma (U then V). */
    public static InputFrame yuv420(int width, int height) {
        int chroma = ((width + 1) / 2) * ((height + 1) / 2);
        return new InputFrame(Plane.allocate(width, height), ByteBuffer.allocateDirect(2 * chroma));
    }

    public Plane plane() {
        return plane;
    }

    /** Packed U then V (visible only; null for gray frames). */
    public ByteBuffer chroma() {
        return chroma;
    }

    /** Presentation time in microseconds: the stream's own for files, on the receive clock for live inputs. */
    public long timestampUs() {
        return timestampUs;
    }

    public void setTimestampUs(long timestampUs) {
        this.timestampUs = timestampUs;
    }

    /** {@link System#nanoTime()} when the decoder returned the frame: where latency is measured from. */
    public long receivedNanos() {
        return receivedNanos;
    }

    public void setReceivedNanos(long receivedNanos) {
        this.receivedNanos = receivedNanos;
    }
}
