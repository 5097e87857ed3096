package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;


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

    /**
     * Y, U and V written by the decoder straight into the slot, then Y taken to full range in
     * place ({@link LumaRange}); one per connection thread.
     */
    private static final class YuvCopier implements Copier {
        private final LumaRange range = new LumaRange();
        private final PictureTarget.Slots slots = new PictureTarget.Slots();

        @Override
        public void copy(VideoSource video, InputFrame into) {
            video.convertInto(slots.of(into));
            range.toFull(into.plane(), into.plane());
        }

        @Override
        public void close() {
            slots.close();
            range.close();
        }
    }
}
