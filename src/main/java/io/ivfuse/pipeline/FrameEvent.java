package io.ivfuse.pipeline;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * One slot of the ring: a visible/IR pair on its way through registration, fusion and output. The
 * ring is filled with these once, at start, so no pixel buffer is allocated per frame; each stage
 * writes its result into the slot's own planes.
 */
public final class FrameEvent {
    /** Visible luminance, full range. Written by the producer. */
    public final Plane visibleY;
    /** The IR frame as decoded (IR size). Written by the producer. */
    public final Plane infrared;
    /** The IR frame warped onto the visible geometry. Written by registration. */
    public final Plane registered;
    /** Fused luminance, full range. Written by fusion. */
    public final Plane fusedY;
    /**
     * The output picture, packed YUV 4:2:0 in video (limited) range: fusion writes Y, the producer
     * writes the visible chroma.
     */
    public final ByteBuffer output;
    /** The Y plane of {@link #output}. */
    public final Plane outputY;

    /** Output frame number, from 0. */
    public long index;
    public long visibleUs;
    public long infraredUs;
    /** True when the IR frame is a held (repeated) one. */
    public boolean infraredHeld;
    /** What the output shows: fused, one source alone, or a skipped frame. */
    public FrameKind kind = FrameKind.FUSED;
    /**
     * System.nanoTime() when the decoder returned the frame that drives this slot (visible, or IR
     * for IR-only frames): latency is measured from here, so a backlog before the ring shows.
     */
    public long receivedNanos;

    public FrameEvent(FrameGeometry g) {
        visibleY = Plane.allocate(g.width(), g.height());
        infrared = Plane.allocate(g.irWidth(), g.irHeight());
        registered = Plane.allocate(g.width(), g.height());
        fusedY = Plane.allocate(g.width(), g.height());
        output = ByteBuffer.allocateDirect(g.outputBytes());
        outputY = Plane.wrap(output, g.width(), g.height(), g.width());
    }

    /** The bytes of direct memory one slot holds: the planes and the output picture allocated by the constructor. */
    public static long directBytes(FrameGeometry g) {
        long visible = (long) g.width() * g.height();
        return 3 * visible + (long) g.irWidth() * g.irHeight() + g.outputBytes();
    }

    /** Copies the producer-written part (inputs and times) of {@code other}; used for staging. */
    public void copyInputsFrom(FrameEvent other, int chromaOffset) {
        visibleY.copyFrom(other.visibleY);
        infrared.copyFrom(other.infrared);
        output.put(chromaOffset, other.output, chromaOffset, output.capacity() - chromaOffset);
        visibleUs = other.visibleUs;
        infraredUs = other.infraredUs;
        infraredHeld = other.infraredHeld;
        kind = other.kind;
        receivedNanos = other.receivedNanos;
    }
}
