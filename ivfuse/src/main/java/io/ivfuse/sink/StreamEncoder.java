package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_H264_CONSTRAINED_BASELINE;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_close;
import static org.bytedeco.ffmpeg.global.avformat.avio_flush;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Encodes YUV pictures and muxes them into a file or stream with FFmpeg's API: one video stream,
 * set up as JavaCV's {@code FFmpegFrameRecorder} sets it up (same settings names, same error
 * messages, {@link FrameRecorder.Exception}), but what a frame needs (the picture, its plane
 * pointers, the packet) is made once, so encoding allocates nothing per frame on the Java heap;
 * the recorder makes about 0.6 KB of garbage a frame (a {@code PointerScope}, pointers wrapping
 * the buffer), which with the default JVM settings kept growing RSS (issue 12). One thread uses
 * it at a time.
 */
final class StreamEncoder implements AutoCloseable {
    private static final int MAX_WRAPPED = 1024;
    private final String location;
    private final int width;
    private final int height;
    private String format;
    private String codecName;
    private double frameRate = 30;
    private int pixelFormat;
    private int gopSize = 12;
    private long bitRate;
    private final Map<String, String> videoOptions = new LinkedHashMap<>();
    private final Map<String, String> options = new LinkedHashMap<>();

    private AVFormatContext muxer;
    private AVCodecContext encoder;
    private AVStream stream;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame picture = av_frame_alloc();
    private final PointerPointer<BytePointer> pictureData = new PointerPointer<>(picture);
    private final IntPointer pictureLines = picture.linesize();
    // Callers pass one of a few buffers (one per ring slot): each is wrapped once.
    private final Map<ByteBuffer, BytePointer> wrapped = new IdentityHashMap<>();
    private ByteBuffer current;
    // Encoder and stream time bases, for rescaling packet times without AVRational objects.
    private long encNum;
    private long encDen;
    private long streamNum;
    private long streamDen;
    private boolean headerWritten;
    private boolean released;

    StreamEncoder(String location, int width, int height) {
        this.location = location;
        this.width = width;
        this.height = height;
    }

    void setFormat(String format) {
        this.format = format;
    }

    void setVideoCodecName(String name) {
        this.codecName = name;
    }

    void setFrameRate(double fps) {
        this.frameRate = fps;
    }

    double getFrameRate() {
        return frameRate;
    }

    void setPixelFormat(int pixelFormat) {
        this.pixelFormat = pixelFormat;
    }

    void setGopSize(int frames) {
        this.gopSize = frames;
    }

    void setVideoBitrate(long bitsPerSecond) {
        this.bitRate = bitsPerSecond;
    }

    /** An encoder option (AVOption of the codec context or the encoder). */
    void setVideoOption(String key, String value) {
        videoOptions.put(key, value);
    }

    /** A muxer or protocol option. */
    void setOption(String key, String value) {
        options.put(key, value);
    }

    /** The presentation index of the next picture (in frames from the start). */
    long getFrameNumber() {
        return picture.pts();
    }

    void setFrameNumber(long n) {
        picture.pts(n);
    }

    /** Opens the encoder and the destination and writes the header. */
    void start() throws FrameRecorder.Exception {
        muxer = new AVFormatContext(null);
        int ret = avformat_alloc_output_context2(muxer, null, format, location);
        if (ret < 0 || muxer.isNull()) {
            muxer = null;
            throw new FrameRecorder.Exception("avformat_alloc_output_context2() error " + ret + ": Could not allocate format context");
        }
        AVCodec codec = avcodec_find_encoder_by_name(codecName);
        if (codec == null || codec.isNull()) {
            throw new FrameRecorder.Exception("avcodec_find_encoder() error: Video codec not found.");
        }
        stream = avformat_new_stream(muxer, null);
        if (stream == null) {
            throw new FrameRecorder.Exception("avformat_new_stream() error: Could not allocate video stream.");
        }
        encoder = avcodec_alloc_context3(codec);
        AVRational rate = av_d2q(frameRate, 1001000);
        encoder.width(width).height(height).pix_fmt(pixelFormat);
        encoder.time_base(av_inv_q(rate)).framerate(rate);
        encoder.gop_size(gopSize).bit_rate(bitRate);
        if (encoder.codec_id() == AV_CODEC_ID_H264) {
            encoder.profile(AV_PROFILE_H264_CONSTRAINED_BASELINE); // JavaCV's default for H.264
        }
        if ((muxer.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if ((codec.capabilities() & AV_CODEC_CAP_EXPERIMENTAL) != 0) {
            encoder.strict_std_compliance(FF_COMPLIANCE_EXPERIMENTAL);
        }
        AVDictionary codecOptions = dictionary(videoOptions);
        ret = avcodec_open2(encoder, codec, codecOptions);
        av_dict_free(codecOptions);
        if (ret < 0) {
            throw new FrameRecorder.Exception("avcodec_open2() error " + ret + ": Could not open video codec.");
        }
        stream.time_base(encoder.time_base());
        stream.avg_frame_rate(rate);
        ret = avcodec_parameters_from_context(stream.codecpar(), encoder);
        if (ret < 0) {
            throw new FrameRecorder.Exception("avcodec_parameters_from_context() error " + ret
                    + ": Could not copy the video stream parameters.");
        }
        picture.format(pixelFormat).width(width).height(height).pts(0);
        AVDictionary muxerOptions = dictionary(options);
        try {
            if ((muxer.oformat().flags() & AVFMT_NOFILE) == 0) {
                AVIOContext pb = new AVIOContext(null);
                ret = avio_open2(pb, location, AVIO_FLAG_WRITE, (AVIOInterruptCB) null, muxerOptions);
                if (ret < 0) {
                    throw new FrameRecorder.Exception("avio_open2 error() error " + ret + ": Could not open '" + location + "'");
                }
                muxer.pb(pb);
            }
            ret = avformat_write_header(muxer, muxerOptions);
            if (ret < 0) {
                throw new FrameRecorder.Exception("avformat_write_header error() error " + ret + ": Could not write header to '"
                        + location + "'");
            }
            headerWritten = true;
        } finally {
            av_dict_free(muxerOptions);
        }
        AVRational e = encoder.time_base();
        AVRational s = stream.time_base(); // the muxer may have chosen its own in write_header
        encNum = e.num();
        encDen = e.den();
        streamNum = s.num();
        streamDen = s.den();
    }

    private static AVDictionary dictionary(Map<String, String> entries) {
        AVDictionary d = new AVDictionary(null);
        entries.forEach((k, v) -> av_dict_set(d, k, v, 0));
        return d;
    }

    /** Encodes one picture laid out as {@code av_image_fill_arrays} lays it out (align 1), and writes its packets. */
    void recordImage(ByteBuffer image) throws FrameRecorder.Exception {
        if (image != current) {
            BytePointer p = wrapped.get(image);
            if (p == null) {
                if (wrapped.size() >= MAX_WRAPPED) {
                    wrapped.clear(); // not a ring of buffers after all: start over
                }
                p = new BytePointer(image);
                wrapped.put(image, p);
            }
            av_image_fill_arrays(pictureData, pictureLines, p, pixelFormat, width, height, 1);
            current = image;
        }
        int ret = avcodec_send_frame(encoder, picture);
        if (ret < 0) {
            throw new FrameRecorder.Exception("avcodec_send_frame() error " + ret + ": Error sending a video frame for encoding.");
        }
        picture.pts(picture.pts() + 1);
        drain();
    }

    /** Writes every packet the encoder has ready. */
    private void drain() throws FrameRecorder.Exception {
        while (true) {
            int ret = avcodec_receive_packet(encoder, packet);
            if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
                return;
            }
            if (ret < 0) {
                throw new FrameRecorder.Exception("avcodec_receive_packet() error " + ret + ": Error during video encoding.");
            }
            if (packet.pts() != AV_NOPTS_VALUE) {
                packet.pts(rescale(packet.pts()));
            }
            if (packet.dts() != AV_NOPTS_VALUE) {
                packet.dts(rescale(packet.dts()));
            }
            if (packet.duration() > 0) {
                packet.duration(rescale(packet.duration()));
            }
            packet.stream_index(stream.index());
            ret = av_interleaved_write_frame(muxer, packet);
            av_packet_unref(packet);
            if (ret < 0) {
                throw new FrameRecorder.Exception("av_interleaved_write_frame() error " + ret + " while writing video packet.");
            }
        }
    }

    private long rescale(long t) {
        return av_rescale(t, encNum * streamDen, encDen * streamNum);
    }

    /** Flushes the encoder, writes the trailer, and frees everything (also after a failure). */
    void stop() throws FrameRecorder.Exception {
        try {
            if (headerWritten && encoder != null) {
                headerWritten = false;
                avcodec_send_frame(encoder, null);
                drain();
                av_interleaved_write_frame(muxer, null);
                int ret = av_write_trailer(muxer);
                // The trailer's own result misses a write that failed in the I/O buffer (a full disk at
                // the very end): flush it and read the buffer's sticky error as well.
                AVIOContext pb = muxer.pb();
                if (pb != null && !pb.isNull()) {
                    avio_flush(pb);
                    if (ret >= 0 && pb.error() < 0) {
                        ret = pb.error();
                    }
                }
                if (ret < 0) {
                    throw new FrameRecorder.Exception("av_write_trailer() error " + ret + ": Could not write trailer.");
                }
            }
        } finally {
            release();
        }
    }

    /** Frees everything without finishing the file. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        if (muxer != null) {
            if ((muxer.oformat().flags() & AVFMT_NOFILE) == 0 && muxer.pb() != null) {
                avio_close(muxer.pb());
                muxer.pb(null);
            }
            avformat_free_context(muxer);
        }
        av_packet_free(packet);
        av_frame_free(picture);
        wrapped.clear();
    }

    @Override
    public void close() {
        release();
    }
}
