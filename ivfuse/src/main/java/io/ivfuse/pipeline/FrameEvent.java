package io.ivfuse.pipeline;

import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
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
 *
 * <p>With a colour second input ({@link FrameGeometry#secondChroma()}, {@code --mode mef}: the
 * first input is the under exposure, the second the over one) the slot also carries both inputs'
 * chroma: the producer writes the first input's into {@link #visibleChroma} (not into the output,
 * which receives the fused chroma) and the second's into {@link #infraredChroma}; registration
 * warps the latter into {@link #registeredCb}/{@link #registeredCr}. {@link #exposures} and
 * {@link #fusedPicture} are the slot's planes as the exposure engines take them, made once.
 * Infrared + visible slots allocate none of this.
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
    /** Packed U then V of the first input (colour second input only, else null). */
    public final ByteBuffer visibleChroma;
    /** Packed U then V of the second input as decoded, its size (colour second input only). */
    public final ByteBuffer infraredChroma;
    /** The second input's chroma warped onto the first's geometry (colour second input only). */
    public final Plane registeredCb;
    public final Plane registeredCr;
    /** Darkest first: the first input's planes, then the registered second's (colour second input only). */
    public final YuvPlanes[] exposures;
    /** {@link #exposures} in the other order, for {@link #swapped} slots (colour second input only). */
    public final YuvPlanes[] exposuresSwapped;
    /** {@link #fusedY} with the output's chroma planes (colour second input only). */
    public final YuvPlanes fusedPicture;
    /** The second input's chroma planes over {@link #infraredChroma} (colour second input only). */
    public final Plane infraredCb;
    public final Plane infraredCr;

    /** Output frame number, from 0. */
    public long index;
    public long visibleUs;
    public long infraredUs;
    /** True when the IR frame is a held (repeated) one. */
    public boolean infraredHeld;
    /** The second input is the darker exposure ({@code --bracketed}: the latest frame is the over one). */
    public boolean swapped;
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
        if (!g.secondChroma()) {
            visibleChroma = infraredChroma = null;
            registeredCb = registeredCr = infraredCb = infraredCr = null;
            exposures = exposuresSwapped = null;
            fusedPicture = null;
            return;
        }
        int cw = g.chromaWidth();
        int ch = g.chromaHeight();
        visibleChroma = ByteBuffer.allocateDirect(g.chromaBytes());
        infraredChroma = ByteBuffer.allocateDirect(2 * g.irChromaWidth() * g.irChromaHeight());
        infraredCb = chromaPlane(infraredChroma, 0, g.irChromaWidth(), g.irChromaHeight());
        infraredCr = chromaPlane(infraredChroma, 1, g.irChromaWidth(), g.irChromaHeight());
        registeredCb = Plane.allocate(cw, ch);
        registeredCr = Plane.allocate(cw, ch);
        exposures = new YuvPlanes[] {
            new YuvPlanes(visibleY, chromaPlane(visibleChroma, 0, cw, ch), chromaPlane(visibleChroma, 1, cw, ch)),
            new YuvPlanes(registered, registeredCb, registeredCr)};
        exposuresSwapped = new YuvPlanes[] {exposures[1], exposures[0]};
        fusedPicture = new YuvPlanes(fusedY, chromaPlane(output.slice(g.chromaOffset(), g.chromaBytes()), 0, cw, ch),
                chromaPlane(output.slice(g.chromaOffset(), g.chromaBytes()), 1, cw, ch));
    }

    /** Plane {@code index} (0 = U, 1 = V) of packed chroma. */
    private static Plane chromaPlane(ByteBuffer packed, int index, int w, int h) {
        return Plane.wrap(packed.slice(index * w * h, w * h), w, h, w);
    }

    /** The bytes of direct memory one slot holds: the planes and the output picture allocated by the constructor. */
    public static long directBytes(FrameGeometry g) {
        long visible = (long) g.width() * g.height();
        long planes = 3 * visible + (long) g.irWidth() * g.irHeight() + g.outputBytes();
        if (!g.secondChroma()) {
            return planes;
        }
        // the first input's chroma, the second's as decoded and registered
        return planes + 2L * g.chromaBytes() + 2L * g.irChromaWidth() * g.irChromaHeight();
    }

    /** Copies the producer-written part (inputs and times) of {@code other}; used for staging. */
    public void copyInputsFrom(FrameEvent other, int chromaOffset) {
        visibleY.copyFrom(other.visibleY);
        infrared.copyFrom(other.infrared);
        output.put(chromaOffset, other.output, chromaOffset, output.capacity() - chromaOffset);
        if (visibleChroma != null) {
            visibleChroma.put(0, other.visibleChroma, 0, visibleChroma.capacity());
            infraredChroma.put(0, other.infraredChroma, 0, infraredChroma.capacity());
        }
        visibleUs = other.visibleUs;
        infraredUs = other.infraredUs;
        infraredHeld = other.infraredHeld;
        swapped = other.swapped;
        kind = other.kind;
        receivedNanos = other.receivedNanos;
    }
}
