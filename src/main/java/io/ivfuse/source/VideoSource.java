package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NONE;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.sws_isSupportedInput;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.util.Redaction;
import java.nio.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;

/**
 * One decoded video stream (file or URL) through FFmpeg ({@link StreamDecoder}), converted to
 * the pixel format the pipeline wants. One {@link Frame} over one buffer serves every grab, so
 * callers copy pixels out before the next {@link #grab()}.
 */
public final class VideoSource implements AutoCloseable {
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");
    private final String label;
    private final StreamDecoder decoder;
    private final Buffer[] image;
    private final int sourcePixelFormat;
    private final Frame frame = new Frame();
    private long framesRead;
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
            throw new IvfuseException(label + (plan.live() ? " cannot be opened: " + describe(e)
                    : " is not a readable video (FFmpeg: " + describe(e) + ")"), e);
        }
        int sourceFormat = decoder.sourcePixelFormat();
        // NONE: no frame has been decoded yet (an empty stream); the first grab says so.
        if (sourceFormat != AV_PIX_FMT_NONE && sws_isSupportedInput(sourceFormat) == 0) {
            decoder.close();
            throw new IvfuseException(label + ": unsupported pixel format '" + pixelFormatName(sourceFormat) + "'");
        }
        return new VideoSource(label, decoder, sourceFormat);
    }

    /** Decodes the next video frame; false at the end of the stream. */
    public boolean grab() {
        boolean decoded;
        try {
            decoded = decoder.grab();
        } catch (RuntimeException e) {
            throw new IvfuseException(label + ": decoding failed at frame " + framesRead + " (" + describe(e) + ")", e);
        }
        if (!decoded) {
            frame.image = null;
            if (framesRead == 0) {
                throw new IvfuseException(label + " has no video frames");
            }
            return false;
        }
        frame.image = image;
        frame.timestamp = decoder.timestampUs();
        framesRead++;
        return true;
    }

    /**
     * The frame of the last successful {@link #grab()} (one {@link Frame} over the decoder's one
     * buffer: planes one after the other); valid until the next grab.
     */
    public Frame frame() {
        return frame;
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

    /** FFmpeg's own words for the error code in a message ("... error -N"), else its first line; credentials hidden. */
    static String describe(Exception e) {
        return Redaction.redact(firstLine(e));
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher code = FFMPEG_ERROR.matcher(m);
        if (code.find()) {
            byte[] text = new byte[256];
            if (av_strerror(Integer.parseInt(code.group(1)), text, text.length) == 0) {
                return new String(text, 0, strlen(text), StandardCharsets.UTF_8);
            }
        }
        return m.split("\n")[0].trim();
    }

    private static int strlen(byte[] cString) {
        int n = 0;
        while (n < cString.length && cString[n] != 0) {
            n++;
        }
        return n;
    }
}
