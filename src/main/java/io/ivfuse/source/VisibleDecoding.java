package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;

/**
 * The visible stream as planar YUV 4:2:0, so no RGB round trip happens: the Y plane goes to the
 * fusion engine (expanded to full range), the chroma planes go untouched to the encoder. FFmpeg
 * converts every source, full-range (yuvj) ones included, to limited-range YUV420P.
 */
public final class VisibleDecoding implements Decoding {

    @Override
    public VideoSource open(InputPlan plan, int width, int height) {
        return VideoSource.open(plan, AV_PIX_FMT_YUV420P, width, height);
    }

    @Override
    public Copier copier(VideoSource video) {
        return new YuvCopier();
    }

    @Override
    public InputFrame newFrame(int width, int height) {
        return InputFrame.yuv420(width, height);
    }

    /** Y through {@link LumaRange} to full range, U and V packed; one per connection thread. */
    private static final class YuvCopier implements Copier {
        private final LumaRange range = new LumaRange();
        private Plane decodedLuma;
        private ByteBuffer decodedLumaBuffer;

        @Override
        public void copy(VideoSource video, InputFrame into) {
            ByteBuffer yuv = (ByteBuffer) video.frame().image[0];
            yuv.limit(yuv.capacity()); // JavaCV limits the buffer to the Y plane; the chroma follows it
            int h = video.height();
            int chromaW = (video.width() + 1) / 2;
            int chromaH = (h + 1) / 2;
            int lumaStride = video.lumaStride();
            int chromaStride = video.chromaStride();
            range.toFull(decodedLuma(video, yuv, lumaStride), into.plane());
            ByteBuffer out = into.chroma();
            int u = lumaStride * h;
            int v = u + chromaStride * chromaH;
            int planeBytes = chromaW * chromaH;
            for (int row = 0; row < chromaH; row++) {
                out.put(row * chromaW, yuv, u + row * chromaStride, chromaW);
                out.put(planeBytes + row * chromaW, yuv, v + row * chromaStride, chromaW);
            }
        }

        /** A plane over the decoder's Y plane; JavaCV keeps one buffer per stream, so this is made once. */
        private Plane decodedLuma(VideoSource video, ByteBuffer yuv, int stride) {
            if (decodedLuma == null || decodedLumaBuffer != yuv || decodedLuma.stride() != stride) {
                decodedLuma = Plane.wrap(yuv, video.width(), video.height(), stride);
                decodedLumaBuffer = yuv;
            }
            return decodedLuma;
        }

        @Override
        public void close() {
            range.close();
        }
    }
}
