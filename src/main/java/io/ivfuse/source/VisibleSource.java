package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.Frame;

/**
 * The visible stream as planar YUV 4:2:0, so no RGB round trip happens: the Y plane goes to the
 * fusion engine (expanded to full range), the chroma planes go untouched to the encoder. FFmpeg
 * converts every source, full-range (yuvj) ones included, to limited-range YUV420P.
 */
public final class VisibleSource implements AutoCloseable {
    private final VideoSource video;
    private final int chromaWidth;
    private final int chromaHeight;

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
     * {@code chromaOut} at {@code chromaOffset} (the layout of a packed YUV 4:2:0 buffer).
     */
    public void copyTo(Plane lumaFull, ByteBuffer chromaOut, int chromaOffset) {
        Frame frame = video.frame();
        ByteBuffer yuv = (ByteBuffer) frame.image[0];
        int h = video.height();
        int lumaStride = frame.imageStride;
        LumaRange.toFull(yuv, 0, lumaStride, lumaFull);
        // JavaCV packs the planes with alignment 1: Y (stride x h), then U and V (chroma w x h).
        int chromaBytes = 2 * chromaWidth * chromaHeight;
        chromaOut.put(chromaOffset, yuv, lumaStride * h, chromaBytes);
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
    }
}
