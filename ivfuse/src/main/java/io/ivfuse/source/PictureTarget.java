package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_count_planes;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Where a {@link PictureConverter} writes a picture: FFmpeg's {@code data[]} and
 * {@code linesize[]} arrays over planes that someone else owns (a queue slot's buffers, a
 * decoder's own buffer), and the first plane as a {@link Plane} for OpenCV. Closing frees the two
 * small arrays, never the planes.
 */
final class PictureTarget implements AutoCloseable {
    /** swscale's SIMD wants planes and rows on 16-byte boundaries, and warns when they are not. */
    private static final int SIMD_ALIGN = 16;

    final PointerPointer<BytePointer> data = new PointerPointer<>(4);
    final IntPointer lines = new IntPointer(4);
    /** The first plane (8-bit formats; null for 16-bit ones). */
    final Plane luma;
    /** Every plane and row starts on a 16-byte boundary. */
    final boolean aligned;
    // What the pointers point into (a slot, a buffer), kept reachable as long as they are.
    private final Object memory;

    private PictureTarget(Object memory, Plane luma, BytePointer[] planes, int[] strides) {
        this.memory = memory;
        this.luma = luma;
        boolean allAligned = true;
        for (int i = 0; i < 4; i++) { // every entry set: swscale looks at all four
            data.put(i, i < planes.length ? planes[i] : null);
            lines.put(i, i < planes.length ? strides[i] : 0);
            if (i < planes.length) {
                allAligned &= planes[i].address() % SIMD_ALIGN == 0 && strides[i] % SIMD_ALIGN == 0;
            }
        }
        this.aligned = allAligned;
    }

    /** A queue slot: Y, and for visible frames U then V packed in its chroma buffer. */
    static PictureTarget of(InputFrame frame) {
        Plane y = frame.plane();
        BytePointer luma = pointer(y.data(), 0, y.data().capacity());
        ByteBuffer chroma = frame.chroma();
        if (chroma == null) {
            return new PictureTarget(frame, y, new BytePointer[] {luma}, new int[] {y.stride()});
        }
        int chromaW = (y.width() + 1) / 2;
        int planeBytes = chromaW * ((y.height() + 1) / 2);
        return new PictureTarget(frame, y, new BytePointer[] {luma, pointer(chroma, 0, planeBytes), pointer(chroma, planeBytes, planeBytes)},
                new int[] {y.stride(), chromaW, chromaW});
    }

    /**
     * The planes of {@code image} (direct, at least {@code av_image_get_buffer_size} long) as
     * {@code av_image_fill_arrays} lays them out with {@code align}; {@code luma}: also wrap the
     * first plane (8-bit formats).
     */
    static PictureTarget over(ByteBuffer image, int pixelFormat, int width, int height, int align, boolean luma) {
        try (PointerPointer<BytePointer> d = new PointerPointer<>(4); IntPointer l = new IntPointer(4)) {
            BytePointer base = pointer(image, 0, image.capacity());
            av_image_fill_arrays(d, l, base, pixelFormat, width, height, align);
            int n = av_pix_fmt_count_planes(pixelFormat);
            BytePointer[] planes = new BytePointer[n];
            int[] strides = new int[n];
            for (int i = 0; i < n; i++) {
                long offset = d.get(i).address() - base.address();
                planes[i] = pointer(image, (int) offset, image.capacity() - (int) offset);
                strides[i] = l.get(i);
            }
            return new PictureTarget(image, luma ? Plane.wrap(image, width, height, strides[0]) : null, planes, strides);
        }
    }

    /** A pointer to {@code length} bytes from {@code offset} of {@code buffer}, whatever the buffer's position. */
    private static BytePointer pointer(ByteBuffer buffer, int offset, int length) {
        return new BytePointer(buffer.slice(offset, length));
    }

    @Override
    public void close() {
        data.close();
        lines.close();
    }

    /**
     * The targets of one connection's queue slots, each made once (a queue has a fixed set of
     * slots), so that writing a frame into a slot allocates nothing.
     */
    static final class Slots implements AutoCloseable {
        private final Map<InputFrame, PictureTarget> targets = new IdentityHashMap<>();

        PictureTarget of(InputFrame frame) {
            PictureTarget t = targets.get(frame);
            if (t == null) {
                t = PictureTarget.of(frame);
                targets.put(frame, t);
            }
            return t;
        }

        @Override
        public void close() {
            targets.values().forEach(PictureTarget::close);
            targets.clear();
        }
    }
}
