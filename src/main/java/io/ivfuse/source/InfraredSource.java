package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY16LE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;

import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import org.bytedeco.javacv.Frame;

/**
 * The infrared stream as 8-bit gray. 8-bit sources are converted by FFmpeg straight to gray;
 * 16-bit thermal sources (Y16, gray16, gray12...) are decoded as 16-bit and mapped to 8 bits by
 * {@link Gray16Gain}.
 */
public final class InfraredSource implements FrameReader, AutoCloseable {
    private final VideoSource video;
    private final Gray16Gain gain;

    private InfraredSource(VideoSource video, Gray16Gain gain) {
        this.video = video;
        this.gain = gain;
    }

    public static InfraredSource open(String location, IvfuseConfig.Gray16 gray16) {
        VideoSource probe = VideoSource.open("IR", location, AV_PIX_FMT_GRAY8);
        if (probe.sourceComponents() > 2 || probe.sourceBitDepth() <= 8) {
            return new InfraredSource(probe, null);
        }
        // FFmpeg fixes the output format at start(), so a 16-bit source is reopened as gray16.
        probe.close();
        VideoSource wide = VideoSource.open("IR", location, AV_PIX_FMT_GRAY16LE);
        return new InfraredSource(wide, new Gray16Gain(gray16.lowPercentile, gray16.highPercentile, gray16.smoothing));
    }

    @Override
    public boolean read(TimedPlane into) {
        if (!video.grab()) {
            return false;
        }
        Frame frame = video.frame();
        Plane dst = into.plane();
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        if (gain == null) {
            int stride = video.lumaStride();
            for (int y = 0; y < dst.height(); y++) {
                dst.data().put(y * dst.stride(), pixels, y * stride, dst.width());
            }
        } else {
            ShortBuffer wide = pixels.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            gain.apply(wide, video.lumaStride() / 2, dst);
        }
        into.setTimestampUs(video.timestampUs());
        return true;
    }

    public boolean isSixteenBit() {
        return gain != null;
    }

    public VideoSource video() {
        return video;
    }

    @Override
    public void close() {
        video.close();
    }
}
