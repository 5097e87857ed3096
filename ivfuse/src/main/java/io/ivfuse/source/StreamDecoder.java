package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_DICT_IGNORE_SUFFIX;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.nio.ByteBuffer;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demuxes and decodes the first video stream of a file, device or URL with FFmpeg's API. Each
 * picture is converted ({@link PictureConverter}) on demand: straight into the caller's queue slot
 * ({@link #convertInto}), or into one buffer made at open ({@link #image()}, by
 * {@link #convert()}). Everything a frame needs (packet, picture, plane pointers, scaler) is made
 * once, so decoding allocates nothing per frame on the Java heap: JavaCV's
 * {@code FFmpegFrameGrabber.grabImage()} makes about 0.6 KB of garbage a frame (a
 * {@code PointerScope}, {@code PointerPointer}s, buffers), which with the default JVM settings
 * kept spreading over fresh heap pages, RSS growing by that much per frame (issue 12).
 *
 * <p>It opens, reads and times frames as that grabber did: demuxer options (with a requested
 * {@code pixel_format}/{@code video_size} for devices, retried without when refused), decoder
 * options and automatic decoder threads, the first video stream that is not a cover picture,
 * decode errors skipped, the decoder drained at the end, and timestamps from the picture's best
 * effort timestamp in the stream's time base. One thread uses it at a time.
 */
final class StreamDecoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamDecoder.class);
    private static final int ALIGN = 32;

    /** Opening failed: what failed, and FFmpeg's error code (0 when FFmpeg gave none). */
    static final class OpenException extends Exception {
        private static final long serialVersionUID = 1L;
        final int errorCode;
        final boolean noVideo;

        OpenException(String message, int errorCode, boolean noVideo) {
            super(message);
            this.errorCode = errorCode;
            this.noVideo = noVideo;
        }
    }

    private final AVFormatContext format;
    private final int streamIndex;
    private final AVCodecContext decoder;
    private final int sourcePixelFormat;
    private final long tbNum;
    private final long tbDen;
    private final double frameRate;
    private final long durationUs;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame picture = av_frame_alloc();
    // The picture's data[] and linesize[] arrays, which stay where they are for the frame's life.
    private final PointerPointer<BytePointer> pictureData;
    private final IntPointer pictureLines;
    private final int pixelFormat;
    private final int width;
    private final int height;
    private final BytePointer pixels;
    private final ByteBuffer image;
    private final PictureTarget own;
    private final PictureConverter converter;
    // The decoder's picture stays referenced until the next grab (avcodec_receive_frame unreferences it).
    private boolean havePicture;
    private boolean converted;
    private boolean draining;
    private boolean ended;
    private long timestampUs;
    private boolean closed;
    // Damage seen so far (see VideoSource's damage accessors): allocation-free counters and flags.
    private long rejected;
    private int decodeErrorFlags;
    private boolean corrupt;
    private int readError;

    private StreamDecoder(AVFormatContext format, int streamIndex, AVCodecContext decoder, int pixelFormat, int width, int height) {
        this.format = format;
        this.streamIndex = streamIndex;
        this.decoder = decoder;
        AVStream stream = format.streams(streamIndex);
        this.sourcePixelFormat = stream.codecpar().format();
        AVRational tb = stream.time_base();
        this.tbNum = tb.num();
        this.tbDen = tb.den();
        AVRational avg = stream.avg_frame_rate();
        AVRational rate = avg.num() == 0 && avg.den() == 0 ? stream.r_frame_rate() : avg;
        this.frameRate = rate.den() == 0 ? 0 : rate.num() / (double) rate.den();
        this.durationUs = format.duration();
        this.pixelFormat = pixelFormat;
        this.width = width > 0 ? width : decoder.width();
        this.height = height > 0 ? height : decoder.height();
        int size = av_image_get_buffer_size(pixelFormat, this.width, this.height, ALIGN);
        this.pixels = new BytePointer(av_malloc(size)).capacity(size);
        this.image = pixels.asByteBuffer();
        this.own = PictureTarget.over(image, pixelFormat, this.width, this.height, ALIGN, pixelFormat == AV_PIX_FMT_GRAY8);
        this.converter = new PictureConverter(pixelFormat, this.width, this.height);
        this.pictureData = new PointerPointer<>(picture);
        this.pictureLines = picture.linesize();
    }

    /**
     * Opens {@code location} (demuxer {@code formatName}, or probed when null) and its decoder,
     * converting to {@code pixelFormat} at {@code width} x {@code height} (the stream's own size
     * when those are 0).
     */
    static StreamDecoder open(String location, String formatName, Map<String, String> options,
                              Map<String, String> decoderOptions, int pixelFormat, int width, int height) throws OpenException {
        AVInputFormat demuxer = null;
        if (formatName != null) {
            demuxer = av_find_input_format(formatName);
            if (demuxer == null) {
                throw new OpenException("Could not find input format \"" + formatName + "\"", 0, false);
            }
        }
        AVFormatContext format = new AVFormatContext(null);
        // Asked of devices (a camera delivers the format); other demuxers ignore them.
        int ret = openInput(format, location, demuxer, options, pixelFormat, width, height, true);
        if (ret < 0) {
            ret = openInput(format, location, demuxer, options, pixelFormat, width, height, false);
        }
        if (ret < 0) {
            throw new OpenException("avformat_open_input() error " + ret, ret, false);
        }
        AVCodecContext decoder = null;
        try {
            ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
            if (ret < 0) {
                throw new OpenException("avformat_find_stream_info() error " + ret, ret, false);
            }
            int index = videoStream(format);
            if (index < 0) {
                throw new OpenException("Did not find a video stream", 0, true);
            }
            AVCodecParameters par = format.streams(index).codecpar();
            AVCodec software = avcodec_find_decoder(par.codec_id());
            if (software == null) {
                throw new OpenException("no decoder for codec id " + par.codec_id(), 0, false);
            }
            AVCodec hardware = HardwareDecoding.hardwareFor(par.codec_id(), software.name().getString());
            if (hardware != null) {
                try {
                    decoder = openDecoder(hardware, par, decoderOptions, location);
                } catch (OpenException e) {
                    HardwareDecoding.fellBack(hardware.name().getString(), software.name().getString(), e.getMessage());
                }
            }
            if (decoder == null) {
                decoder = openDecoder(software, par, decoderOptions, location);
            }
            if (decoder.width() <= 0 || decoder.height() <= 0) {
                throw new OpenException("Did not find a video stream", 0, true);
            }
            return new StreamDecoder(format, index, decoder, pixelFormat, width, height);
        } catch (OpenException | RuntimeException e) {
            if (decoder != null) {
                avcodec_free_context(decoder);
            }
            avformat_close_input(format);
            throw e;
        }
    }

    /** A decoder context for {@code codec} opened on the stream's parameters; freed again when opening fails. */
    private static AVCodecContext openDecoder(AVCodec codec, AVCodecParameters par, Map<String, String> decoderOptions,
                                              String location) throws OpenException {
        AVCodecContext decoder = avcodec_alloc_context3(codec);
        int ret = avcodec_parameters_to_context(decoder, par);
        if (ret < 0) {
            avcodec_free_context(decoder);
            throw new OpenException("avcodec_parameters_to_context() error " + ret, ret, false);
        }
        decoder.thread_count(0); // as many as FFmpeg sees fit; a decoder option may say otherwise
        AVDictionary dict = dictionary(decoderOptions);
        ret = avcodec_open2(decoder, codec, dict);
        logUnused(dict, location);
        av_dict_free(dict);
        if (ret < 0) {
            avcodec_free_context(decoder);
            throw new OpenException("avcodec_open2() error " + ret, ret, false);
        }
        return decoder;
    }

    /** The FFmpeg decoder in use (h264, h264_cuvid, ...). */
    String decoderName() {
        return decoder.codec().name().getString();
    }

    private static int openInput(AVFormatContext format, String location, AVInputFormat demuxer, Map<String, String> options,
                                 int pixelFormat, int width, int height, boolean askPixelFormat) {
        AVDictionary dict = dictionary(options);
        BytePointer name = av_get_pix_fmt_name(pixelFormat);
        if (askPixelFormat && name != null) {
            av_dict_set(dict, "pixel_format", name.getString(), 0);
        }
        if (width > 0 && height > 0) {
            av_dict_set(dict, "video_size", width + "x" + height, 0);
        }
        int ret = avformat_open_input(format, location, demuxer, dict);
        av_dict_free(dict);
        return ret;
    }

    private static AVDictionary dictionary(Map<String, String> options) {
        AVDictionary dict = new AVDictionary(null);
        options.forEach((k, v) -> av_dict_set(dict, k, v, 0));
        return dict;
    }

    private static void logUnused(AVDictionary dict, String location) {
        AVDictionaryEntry e = null;
        while ((e = av_dict_get(dict, "", e, AV_DICT_IGNORE_SUFFIX)) != null) {
            log.debug("decoder option {} not used for {}", e.key().getString(), io.ivfuse.util.Redaction.redact(location));
        }
    }

    /** The first video stream that is not an attached (cover) picture, or -1. */
    private static int videoStream(AVFormatContext format) {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream s = format.streams(i);
            if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && (s.disposition() & AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Decodes the next picture, to be converted by {@link #convert()} or {@link #convertInto}; false
     * at the end of the stream (or of the connection: FFmpeg reports a read error as the end, and
     * the decoder is drained first).
     */
    boolean grab() {
        havePicture = false;
        while (!ended) {
            int ret = avcodec_receive_frame(decoder, picture);
            if (ret >= 0) {
                timestampUs = 1_000_000L * picture.best_effort_timestamp() * tbNum / tbDen;
                decodeErrorFlags = picture.decode_error_flags();
                corrupt = (picture.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0;
                havePicture = true;
                converted = false;
                return true;
            }
            if (ret == AVERROR_EOF()) {
                ended = true;
                return false;
            }
            if (ret != AVERROR_EAGAIN()) {
                rejected++;
                continue; // a picture that failed to decode: skipped, as FFmpeg's tools do
            }
            if (draining) {
                ended = true;
                return false;
            }
            feed();
        }
        return false;
    }

    /**
     * Moves the demuxer to the keyframe at or before {@code us} (the stream's clock) and empties the
     * decoder; the caller skips the pictures before {@code us}. Where the demuxer cannot seek (a
     * target before the first keyframe, a format without an index) reading goes on from where it
     * is, which gives the same frames, only after decoding the ones before.
     */
    void seekBefore(long us) {
        long ts = av_rescale(us, tbDen, 1_000_000L * tbNum);
        if (av_seek_frame(format, streamIndex, ts, AVSEEK_FLAG_BACKWARD) >= 0) {
            avcodec_flush_buffers(decoder);
            havePicture = false;
        }
    }

    /** Sends the next packet of the video stream to the decoder, or the end-of-stream marker. */
    private void feed() {
        while (true) {
            int ret = av_read_frame(format, packet);
            if (ret == AVERROR_EAGAIN()) {
                try {
                    Thread.sleep(10); // a non-blocking input with nothing yet, as JavaCV waits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ended = true;
                    return;
                }
                continue;
            }
            if (ret < 0) {
                if (ret != AVERROR_EOF()) {
                    readError = ret; // a demuxer that gave up on damaged data ends the stream like its end
                }
                draining = true;
                avcodec_send_packet(decoder, null);
                return;
            }
            boolean video = packet.stream_index() == streamIndex;
            if (video && avcodec_send_packet(decoder, packet) < 0) {
                rejected++; // a packet the decoder refused: its picture is missing
            }
            av_packet_unref(packet);
            if (video) {
                return;
            }
        }
    }

    /** Converts the current picture into {@link #image()}, once. */
    void convert() {
        if (havePicture && !converted) {
            converter.convert(picture, pictureData, pictureLines, own);
            converted = true;
        }
    }

    /** Writes the current picture, converted as into {@link #image()}, into {@code target}. */
    void convertInto(PictureTarget target) {
        if (!havePicture) {
            throw new IllegalStateException("no picture to convert");
        }
        converter.convert(picture, pictureData, pictureLines, target);
    }

    /** The buffer {@link #convert()} writes: planes one after the other. */
    ByteBuffer image() {
        return image;
    }

    /** Bytes between rows of plane {@code plane} of {@link #image()}. */
    int stride(int plane) {
        return own.lines.get(plane);
    }

    long timestampUs() {
        return timestampUs;
    }

    /** Packets the decoder refused and pictures it failed to decode, since open. */
    long rejected() {
        return rejected;
    }

    /** The last picture's {@code FF_DECODE_ERROR_*} flags (invalid bitstream, missing reference, concealment...). */
    int decodeErrorFlags() {
        return decodeErrorFlags;
    }

    /** True when the decoder flagged the last picture corrupt (e.g. decoded without its reference frames). */
    boolean corrupt() {
        return corrupt;
    }

    /** The read error that ended the stream early (FFmpeg's code; the I/O context's own when sticky), or 0. */
    int readError() {
        if (readError != 0) {
            return readError;
        }
        AVIOContext pb = format.pb();
        return pb == null || pb.isNull() || pb.error() >= 0 ? 0 : pb.error();
    }

    /** The video stream (time base, duration, rates, metadata), for checks on what the container declares. */
    AVStream stream() {
        return format.streams(streamIndex);
    }

    /** The demuxer context: the file's own duration, start time and stream count. */
    AVFormatContext formatContext() {
        return format;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The stream's average frame rate, else its base rate; 0 when unknown. */
    double frameRate() {
        return frameRate;
    }

    /** Frames in the whole stream as the container's duration and frame rate suggest; 0 when unknown. */
    long lengthInFrames() {
        return durationUs <= 0 ? 0 : Math.round(durationUs * frameRate / 1e6);
    }

    int sourcePixelFormat() {
        return sourcePixelFormat;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        converter.close();
        av_packet_free(packet);
        av_frame_free(picture);
        avcodec_free_context(decoder);
        avformat_close_input(format);
        own.close();
        av_free(pixels);
    }
}
