package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.sws_isSupportedInput;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.util.FfmpegErrors;
import java.nio.Buffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;

/**
 * One decoded video stream (file or URL) through FFmpeg ({@link StreamDecoder}), converted to
 * the pixel format the pipeline wants: straight into a queue slot ({@link #convertInto}), or into
 * one buffer that one {@link Frame} shows for every grab ({@link #frame()}), so callers copy
 * pixels out before the next {@link #grab()}.
 */
public final class VideoSource implements AutoCloseable {
    /** Matroska's per-track duration tag (the muxer writes it; the track header has no duration). */
    private static final Pattern TAG_DURATION = Pattern.compile("(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private final String label;
    private final StreamDecoder decoder;
    private final Buffer[] image;
    private final int sourcePixelFormat;
    private final Frame frame = new Frame();
    private long framesRead;
    /** {@link #seekTo}: frames before this time are skipped. */
    private long skipBeforeUs = Long.MIN_VALUE;
    private boolean closed;

    private VideoSource(String label, StreamDecoder decoder, int sourcePixelFormat) {
        this.label = label;
        this.decoder = decoder;
        this.sourcePixelFormat = sourcePixelFormat;
        this.image = new Buffer[] {decoder.image()};
        frame.imageWidth = decoder.width();
        frame.imageHeight = decoder.height();
        frame.imageStride = decoder.stride(0);
    }

    /** Opens a file or URL with the kind's defaults (tests, tools); see {@link #open(InputPlan, int, int, int)}. */
    public static VideoSource open(String role, String location, int pixelFormat) {
        return open(InputKinds.plan(role, InputSpec.of(location), new IvfuseConfig.Live()), pixelFormat, 0, 0);
    }

    /**
     * Opens an input and has FFmpeg convert its frames to {@code pixelFormat}, scaled to
     * {@code width} x {@code height} when those are positive (a reconnected camera keeps the
     * size the run started with). Inputs open independently: one camera hanging in connect
     * blocks no other input's start.
     */
    public static VideoSource open(InputPlan plan, int pixelFormat, int width, int height) {
        String label = plan.label();
        StreamDecoder decoder;
        try {
            decoder = StreamDecoder.open(plan.location(), plan.format(), plan.options(), plan.decoderOptions(),
                    pixelFormat, width, height);
        } catch (StreamDecoder.OpenException e) {
            if (e.noVideo) {
                throw new IvfuseException(label + " has no video stream", e);
            }
            throw new IvfuseException(label + (plan.live() ? " cannot be opened: " + FfmpegErrors.describe(e)
                    : " is not a readable video (FFmpeg: " + FfmpegErrors.describe(e) + ")"), e);
        }
        int sourceFormat = decoder.sourcePixelFormat();
        // NONE: no frame has been decoded yet (an empty stream); the first grab says so.
        if (sourceFormat != AV_PIX_FMT_NONE && sws_isSupportedInput(sourceFormat) == 0) {
            decoder.close();
            throw new IvfuseException(label + ": unsupported pixel format '" + pixelFormatName(sourceFormat) + "'");
        }
        VideoSource source = new VideoSource(label, decoder, sourceFormat);
        if (plan.seekUs() != InputPlan.NO_SEEK) {
            source.seekTo(plan.seekUs());
        }
        return source;
    }

    /** The FFmpeg decoder in use: {@code h264_cuvid} (NVDEC) or the software one ({@code h264}). */
    public String decoderName() {
        return decoder.decoderName();
    }

    /**
     * Reads from {@code us} on (the stream's clock, microseconds): the next {@link #grab()} returns
     * the first frame at or after it. Seeks where the demuxer can, else decodes up to it.
     */
    public void seekTo(long us) {
        decoder.seekBefore(us);
        skipBeforeUs = us;
    }

    /** Decodes the next video frame; false at the end of the stream. */
    public boolean grab() {
        boolean decoded;
        try {
            do {
                decoded = decoder.grab();
            } while (decoded && decoder.timestampUs() < skipBeforeUs);
        } catch (RuntimeException e) {
            throw decodingFailed(framesRead, e);
        }
        if (!decoded) {
            frame.image = null;
            if (framesRead == 0) {
                throw new IvfuseException(label + " has no video frames"
                        + (skipBeforeUs == Long.MIN_VALUE ? "" : " from " + skipBeforeUs / 1e6 + " s on"));
            }
            return false;
        }
        frame.image = image;
        frame.timestamp = decoder.timestampUs();
        framesRead++;
        return true;
    }

    /** The decoder's {@code FF_DECODE_ERROR_*} flags for the current frame, as FFmpeg's "corrupt decoded frame" test. */
    public int decodeErrorFlags() {
        return decoder.decodeErrorFlags();
    }

    /** True when the decoder flagged the current frame corrupt. */
    public boolean corrupt() {
        return decoder.corrupt();
    }

    /** Packets refused and pictures that failed to decode since open (they never became frames). */
    public long rejectedPictures() {
        return decoder.rejected();
    }

    /**
     * Where the container says the video stream ends, on the clock of {@link #timestampUs()}
     * (microseconds); -1 when it does not say (live streams, or a duration that may be another
     * stream's). From the stream's own duration (counted from its start), else Matroska's
     * per-track DURATION tag (an end time), else the file's duration when the video is its only
     * stream and starts at 0 (demuxers differ on whether that duration counts from the start).
     */
    public long declaredEndUs() {
        AVFormatContext oc = decoder.formatContext();
        AVStream st = decoder.stream();
        AVRational tb = st.time_base();
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0 && tb.num() > 0 && tb.den() > 0) {
            long start = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
            return Math.round((start + st.duration()) * 1e6 * tb.num() / tb.den());
        }
        AVDictionaryEntry tag = av_dict_get(st.metadata(), "DURATION", null, 0);
        Matcher m = tag == null ? null : TAG_DURATION.matcher(tag.value().getString().trim());
        if (m != null && m.matches()) {
            return Math.round((Integer.parseInt(m.group(1)) * 3600.0 + Integer.parseInt(m.group(2)) * 60.0
                    + Double.parseDouble(m.group(3))) * 1e6);
        }
        boolean startsAtZero = oc.start_time() == AV_NOPTS_VALUE || oc.start_time() == 0;
        if (oc.nb_streams() == 1 && startsAtZero && oc.duration() != AV_NOPTS_VALUE && oc.duration() > 0) {
            return oc.duration();
        }
        return -1;
    }

    /**
     * True when the stream declares one constant frame rate (its average rate, when known, equals
     * its base rate), so that a gap in its timestamps means frames are missing, not a variable rate.
     */
    public boolean constantFrameRate() {
        AVStream st = decoder.stream();
        AVRational avg = st.avg_frame_rate();
        AVRational base = st.r_frame_rate();
        if (base.num() <= 0 || base.den() <= 0) {
            return false;
        }
        return avg.num() == 0 || (long) avg.num() * base.den() == (long) base.num() * avg.den();
    }

    /** FFmpeg's words for a read error the demuxer met (which ends the stream like its end), or null. */
    public String readError() {
        int error = decoder.readError();
        if (error == 0) {
            return null;
        }
        return FfmpegErrors.text(error);
    }

    /**
     * The frame of the last successful {@link #grab()} (one {@link Frame} over the decoder's one
     * buffer: planes one after the other, converted on the first call); valid until the next grab.
     */
    public Frame frame() {
        try {
            decoder.convert();
        } catch (RuntimeException e) {
            throw decodingFailed(framesRead - 1, e);
        }
        return frame;
    }

    /** Writes the current frame, converted as {@link #frame()} shows it, into {@code target} (a queue slot). */
    void convertInto(PictureTarget target) {
        try {
            decoder.convertInto(target);
        } catch (RuntimeException e) {
            throw decodingFailed(framesRead - 1, e);
        }
    }

    private IvfuseException decodingFailed(long frameIndex, RuntimeException e) {
        return new IvfuseException(label + ": decoding failed at frame " + frameIndex + " (" + FfmpegErrors.describe(e) + ")", e);
    }

    /** Bytes between rows of the first plane of the current frame (JavaCV aligns rows). */
    public int lumaStride() {
        return frame.imageStride;
    }

    /** Bytes between rows of the chroma planes of the current frame, for 4:2:0 output. */
    public int chromaStride() {
        return decoder.stride(1);
    }

    /** Presentation time of the last frame, in microseconds from the stream start. */
    public long timestampUs() {
        return frame.timestamp;
    }

    public int width() {
        return decoder.width();
    }

    public int height() {
        return decoder.height();
    }

    /** Nominal frame rate (frames per second); 0 when the container does not say. */
    public double frameRate() {
        double fps = decoder.frameRate();
        return Double.isFinite(fps) && fps > 0 ? fps : 0;
    }

    /** Frames the container announces (an estimate; 0 for live streams). */
    public long lengthInFrames() {
        return decoder.lengthInFrames();
    }

    public int sourcePixelFormat() {
        return sourcePixelFormat;
    }

    /** Bits per sample of the stream's first component (8 for ordinary video, 16 for Y16 thermal). */
    public int sourceBitDepth() {
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(sourcePixelFormat);
        return desc == null ? 8 : desc.comp(0).depth();
    }

    /** Number of colour components (1 for gray/Y16). */
    public int sourceComponents() {
        AVPixFmtDescriptor desc = av_pix_fmt_desc_get(sourcePixelFormat);
        return desc == null ? 3 : desc.nb_components();
    }

    static String pixelFormatName(int format) {
        BytePointer name = av_get_pix_fmt_name(format);
        return name == null ? "#" + format : name.getString();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            decoder.close();
        }
    }
}
