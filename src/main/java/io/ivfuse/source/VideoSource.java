package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.sws_isSupportedInput;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.util.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One decoded video stream (file or URL) through JavaCV's FFmpeg grabber, converted by FFmpeg to
 * the pixel format the pipeline wants. The grabber reuses one {@link Frame} for every grab, so
 * callers copy pixels out before the next {@link #grab()}.
 */
public final class VideoSource implements AutoCloseable {
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");
    /** Matroska's per-track duration tag (the muxer writes it; the track header has no duration). */
    private static final Pattern TAG_DURATION = Pattern.compile("(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?)");
    private final String label;
    private final FFmpegFrameGrabber grabber;
    private final int sourcePixelFormat;
    private Frame frame;
    private long framesRead;
    private boolean closed;

    private VideoSource(String label, FFmpegFrameGrabber grabber, int sourcePixelFormat) {
        this.label = label;
        this.grabber = grabber;
        this.sourcePixelFormat = sourcePixelFormat;
    }

    /** Opens a file or URL with the kind's defaults (tests, tools); see {@link #open(InputPlan, int, int, int)}. */
    public static VideoSource open(String role, String location, int pixelFormat) {
        return open(InputKinds.plan(role, InputSpec.of(location), new IvfuseConfig.Live()), pixelFormat, 0, 0);
    }

    /**
     * Opens an input and has FFmpeg convert its frames to {@code pixelFormat}, scaled to
     * {@code width} x {@code height} when those are positive (a reconnected camera keeps the
     * size the run started with). Uses JavaCV's {@code startUnsafe()}: its {@code start()} holds
     * a process-wide lock, so one camera hanging in connect would block every other input's start.
     */
    public static VideoSource open(InputPlan plan, int pixelFormat, int width, int height) {
        String label = plan.label();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(plan.location());
        grabber.setPixelFormat(pixelFormat);
        if (plan.format() != null) {
            grabber.setFormat(plan.format());
        }
        plan.options().forEach(grabber::setOption);
        plan.decoderOptions().forEach(grabber::setVideoOption);
        if (width > 0 && height > 0) {
            grabber.setImageWidth(width);
            grabber.setImageHeight(height);
        }
        try {
            grabber.startUnsafe();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            if (String.valueOf(e.getMessage()).startsWith("Did not find a video")) {
                throw new IvfuseException(label + " has no video stream", e);
            }
            throw new IvfuseException(label + (plan.live() ? " cannot be opened: " + describe(e)
                    : " is not a readable video (FFmpeg: " + describe(e) + ")"), e);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new IvfuseException(label + " has no video stream");
        }
        // Frames keep the size the stream opened with: FFmpeg scales any frame of another size (a
        // stream that changes resolution midway, or damage to its headers) instead of handing
        // over a picture that no longer fits the buffers sized at start.
        grabber.setImageWidth(grabber.getImageWidth());
        grabber.setImageHeight(grabber.getImageHeight());
        // getPixelFormat() reports the format asked for; the stream's own is in its codec parameters.
        int sourceFormat = grabber.getFormatContext().streams(grabber.getVideoStream()).codecpar().format();
        // NONE: no frame has been decoded yet (an empty stream); the first grab says so.
        if (sourceFormat != AV_PIX_FMT_NONE && sws_isSupportedInput(sourceFormat) == 0) {
            closeQuietly(grabber);
            throw new IvfuseException(label + ": unsupported pixel format '" + pixelFormatName(sourceFormat) + "'");
        }
        return new VideoSource(label, grabber, sourceFormat);
    }

    /** Decodes the next video frame; false at the end of the stream. */
    public boolean grab() {
        try {
            frame = grabber.grabImage();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new IvfuseException(label + ": decoding failed at frame " + framesRead + " (" + describe(e) + ")", e);
        }
        if (frame == null || frame.image == null) {
            if (framesRead == 0) {
                throw new IvfuseException(label + " has no video frames");
            }
            return false;
        }
        framesRead++;
        return true;
    }

    /**
     * The decoder's own report on the current frame: its {@code FF_DECODE_ERROR_*} flags (invalid
     * bitstream, missing reference, concealment active, slices lost), the same test as the FFmpeg
     * command line's "corrupt decoded frame". JavaCV hands the decoded (or converted, with its
     * properties copied) AVFrame over as the frame's opaque.
     */
    public int decodeErrorFlags() {
        return frame.opaque instanceof AVFrame f ? f.decode_error_flags() : 0;
    }

    /** True when the decoder flagged the current frame corrupt (e.g. decoded without its reference frames). */
    public boolean corrupt() {
        return frame.opaque instanceof AVFrame f && (f.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0;
    }

    /**
     * Where the container says the video stream ends, on the clock of {@link #timestampUs()}
     * (microseconds); -1 when it does not say (live streams, or a duration that may be another
     * stream's). From the stream's own duration (counted from its start), else Matroska's
     * per-track DURATION tag (an end time), else the file's duration when the video is its only
     * stream and starts at 0 (demuxers differ on whether that duration counts from the start).
     */
    public long declaredEndUs() {
        AVFormatContext oc = grabber.getFormatContext();
        AVStream st = oc.streams(grabber.getVideoStream());
        AVRational tb = st.time_base();
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0 && tb.num() > 0 && tb.den() > 0) {
            long start = st.start_time() == AV_NOPTS_VALUE ? 0 : st.start_time();
            return Math.round((start + st.duration()) * 1e6 * tb.num() / tb.den());
        }
        String tag = grabber.getVideoMetadata("DURATION");
        Matcher m = tag == null ? null : TAG_DURATION.matcher(tag.trim());
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
        AVStream st = grabber.getFormatContext().streams(grabber.getVideoStream());
        AVRational avg = st.avg_frame_rate();
        AVRational base = st.r_frame_rate();
        if (base.num() <= 0 || base.den() <= 0) {
            return false;
        }
        return avg.num() == 0 || (long) avg.num() * base.den() == (long) base.num() * avg.den();
    }

    /** FFmpeg's words for a read error the demuxer met (which ends the stream like its end), or null. */
    public String readError() {
        AVIOContext pb = grabber.getFormatContext().pb();
        if (pb == null || pb.isNull() || pb.error() >= 0) {
            return null;
        }
        String text = errorText(pb.error());
        return text != null ? text : "error " + pb.error();
    }

    /** The frame of the last successful {@link #grab()}; valid until the next grab. */
    public Frame frame() {
        return frame;
    }

    /** Bytes between rows of the first plane of the current frame (JavaCV aligns rows). */
    public int lumaStride() {
        return frame.imageStride;
    }

    /**
     * Bytes between rows of the chroma planes of the current frame, for 4:2:0 output; derived from
     * the buffer size because JavaCV states only the first plane's stride.
     */
    public int chromaStride() {
        int h = height();
        int chromaRows = (h + 1) / 2;
        return (frame.image[0].capacity() - frame.imageStride * h) / (2 * chromaRows);
    }

    /** Presentation time of the last frame, in microseconds from the stream start. */
    public long timestampUs() {
        return frame.timestamp;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    /** Nominal frame rate (frames per second); 0 when the container does not say. */
    public double frameRate() {
        double fps = grabber.getFrameRate();
        return Double.isFinite(fps) && fps > 0 ? fps : 0;
    }

    /** Frames the container announces (an estimate; 0 for live streams). */
    public long lengthInFrames() {
        return Math.max(0, grabber.getLengthInFrames());
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
            closeQuietly(grabber);
        }
    }

    /** Frees the grabber without JavaCV's process-wide lock (see {@link #open(InputPlan, int, int, int)}). */
    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.releaseUnsafe();
        } catch (FrameGrabber.Exception | RuntimeException ignored) {
            // Nothing useful to do while closing.
        }
    }

    /** FFmpeg's own words for the error code in a JavaCV message, else its first line; credentials hidden. */
    static String describe(Exception e) {
        return Redaction.redact(firstLine(e));
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher code = FFMPEG_ERROR.matcher(m);
        if (code.find()) {
            String text = errorText(Integer.parseInt(code.group(1)));
            if (text != null) {
                return text;
            }
        }
        return m.split("\n")[0].trim();
    }

    /** FFmpeg's words for an error code, or null when it has none. */
    private static String errorText(int error) {
        byte[] text = new byte[256];
        return av_strerror(error, text, text.length) == 0 ? new String(text, 0, strlen(text), StandardCharsets.UTF_8) : null;
    }

    private static int strlen(byte[] cString) {
        int n = 0;
        while (n < cString.length && cString[n] != 0) {
            n++;
        }
        return n;
    }
}
