package io.ivfuse.pipeline;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * One slot of the ring: a visible/IR pair on its way through registration, fusion and output. The
 * ring is filled with these once, at start, so no pixel buffer is allocated per frame; each stage
 * writes its result into the slot's own planes.
 *
 * <p>The copies a frame's planes go through, each plane copied once from one owner to the next:
 * <ol>
 * <li>decoder to input queue slot ({@code source.InputFrame}, reader thread): the decoder writes
 * the picture straight into the slot ({@code source.PictureConverter}: a plane copy when it already
 * is yuv420p or gray, the IR luma plane copied and taken to full range in place, swscale
 * otherwise); the visible Y is then taken to full range in place;</li>
 * <li>queue slot to this slot (pairing thread): {@link #visibleY}, {@link #infrared} and the visible
 * chroma into {@link #output}; kept, because the queue slot goes back to its reader as soon as the
 * pair is published (and a held IR frame is paired again);</li>
 * <li>{@link #infrared} to {@link #registered}: a remap, or a copy for identity at equal sizes
 * (about 10 us at 640x480 in FrameCopyBenchmark);</li>
 * <li>fusion reads {@link #visibleY} and {@link #registered} where they are and writes
 * {@link #fusedY} (ONNX engines go through their float tensors), then {@link #fusedY} in video range
 * into {@link #outputY};</li>
 * <li>{@link #output} to the encoder: its AVFrame points at {@link #output}, and
 * {@code avcodec_send_frame} copies it (a frame that is not reference-counted), kept because
 * encoders may hold their input past the call (frame-threaded ones, mpegvideo's) while this slot
 * is reused.</li>
 * </ol>
 * Drop-oldest runs copy a staged pair once more ({@link #copyInputsFrom}); the side-by-side view,
 * network outputs (a queue of their own) and PNG files (one conversion to BGR) make their own.
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
