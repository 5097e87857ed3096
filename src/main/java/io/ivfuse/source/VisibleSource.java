package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * The visible stream as planar YUV 4:2:0, so no RGB round trip happens: the Y plane goes to the
 * fusion engine (expanded to full range), the chroma planes go untouched to the encoder. FFmpeg
 * converts every source, full-range (yuvj) ones included, to limited-range YUV420P.
 */
public final class VisibleSource implements AutoCloseable {
    private final VideoSource video;
    private final int chromaWidth;
    private final int chromaHeight;
    private final LumaRange range = new LumaRange();
    private Plane decodedLuma;
    private ByteBuffer decodedLumaBuffer;

    private VisibleSource(VideoSource video) {
        this.video = video;
        this.chromaWidth = (video.width() + 1) / 2;
        this.chromaHeight = (video.height() + 1) / 2;
    }

    public static VisibleSource open(String location) {
        return new VisibleSource(VideoSource.open("visible", location, AV_PIX_FMT_YUV420P));
    }

    /** Decodes the next frame; false at the end of the stream. */
    public boolean grab() {
        return video.grab();
    }

    public long timestampUs() {
        return video.timestampUs();
    }

    /**
     * Copies the current frame: Y, as full range, into {@code lumaFull}; U and V, untouched, into
     * {@code chromaOut} at {@code chromaOffset} (the layout of a packed YUV 4:2:0 buffer). Called
     * on the decoding thread only.
     */
    public void copyTo(Plane lumaFull, ByteBuffer chromaOut, int chromaOffset) {
        ByteBuffer yuv = (ByteBuffer) video.frame().image[0];
        yuv.limit(yuv.capacity()); // JavaCV limits the buffer to the Y plane; the chroma follows it
        int h = video.height();
        int lumaStride = video.lumaStride();
        int chromaStride = video.chromaStride();
        range.toFull(decodedLuma(yuv, lumaStride), lumaFull);
        int u = lumaStride * h;
        int v = u + chromaStride * chromaHeight;
        int planeBytes = chromaWidth * chromaHeight;
        for (int row = 0; row < chromaHeight; row++) {
            chromaOut.put(chromaOffset + row * chromaWidth, yuv, u + row * chromaStride, chromaWidth);
            chromaOut.put(chromaOffset + planeBytes + row * chromaWidth, yuv, v + row * chromaStride, chromaWidth);
        }
    }

    /** A plane over the decoder's Y plane; JavaCV keeps one buffer per stream, so this is made once. */
    private Plane decodedLuma(ByteBuffer yuv, int stride) {
        if (decodedLuma == null || decodedLumaBuffer != yuv || decodedLuma.stride() != stride) {
            decodedLuma = Plane.wrap(yuv, video.width(), video.height(), stride);
            decodedLumaBuffer = yuv;
        }
        return decodedLuma;
    }

    public int width() {
        return video.width();
    }

    public int height() {
        return video.height();
    }

    public int chromaWidth() {
        return chromaWidth;
    }

    public int chromaHeight() {
        return chromaHeight;
    }

    public VideoSource video() {
        return video;
    }

    @Override
    public void close() {
        video.close();
        range.close();
    }
}
