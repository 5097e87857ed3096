package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY16LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.ivfuse.config.IvfuseConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * The infrared stream as 8-bit gray. 8-bit sources are converted by FFmpeg straight to gray;
 * 16-bit thermal sources (Y16, gray16, gray12...) are decoded as 16-bit and mapped to 8 bits by
 * {@link Gray16Gain}.
 */
public final class InfraredDecoding implements Decoding {
    private final IvfuseConfig.Gray16 gray16;

    public InfraredDecoding(IvfuseConfig.Gray16 gray16) {
        this.gray16 = gray16;
    }

    @Override
    public VideoSource open(InputPlan plan, int width, int height) {
        VideoSource probe = VideoSource.open(plan, AV_PIX_FMT_GRAY8, width, height);
        if (!isSixteenBit(probe)) {
            return probe;
        }
        // FFmpeg fixes the output format at start, so a 16-bit source is reopened as gray16.
        probe.close();
        return VideoSource.open(plan, AV_PIX_FMT_GRAY16LE, width, height);
    }

    static boolean isSixteenBit(VideoSource video) {
        return video.sourceComponents() <= 2 && video.sourceBitDepth() > 8;
    }

    @Override
    public Copier copier(VideoSource video) {
        if (!isSixteenBit(video)) {
            return new GrayCopier();
        }
        return new Gray16Copier(new Gray16Gain(gray16.lowPercentile, gray16.highPercentile, gray16.smoothing));
    }

    @Override
    public InputFrame newFrame(int width, int height) {
        return InputFrame.gray(width, height);
    }

    /** 16-bit samples through the gain; the 16-bit view of the grabber's (reused) buffer is made once. */
    private static final class Gray16Copier implements Copier {
        private final Gray16Gain gain;
        private ByteBuffer viewed;
        private ShortBuffer samples;

        Gray16Copier(Gray16Gain gain) {
            this.gain = gain;
        }

        @Override
        public void copy(VideoSource video, InputFrame into) {
            ByteBuffer pixels = (ByteBuffer) video.frame().image[0];
            if (pixels != viewed) {
                viewed = pixels;
                samples = pixels.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            }
            gain.apply(samples, video.lumaStride() / 2, into.plane());
        }

        @Override
        public void close() {
        }
    }

    /** 8-bit gray written by the decoder straight into the slot. */
    private static final class GrayCopier implements Copier {
        private final PictureTarget.Slots slots = new PictureTarget.Slots();

        @Override
        public void copy(VideoSource video, InputFrame into) {
            video.convertInto(slots.of(into));
        }

        @Override
        public void close() {
            slots.close();
        }
    }
}
