package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_NORMAL;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.IvfuseException;
import io.ivfuse.util.FfmpegErrors;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes packed YUV 4:2:0 pictures with FFmpeg ({@link StreamEncoder}) into a file or a stream
 * ({@link MuxTarget}: a location string, a muxer, options). With codec {@code auto} it takes the
 * best encoder that opens here: NVENC, then libx264 (GPL build), then libopenh264 (the default LGPL
 * build), then MPEG-4 part 2. Every encoder gets a regular GOP ({@code gop_seconds}) and no
 * B-frames; live targets also get low-delay tuning. {@link #close()} writes the trailer, so a
 * stopped run still leaves a playable file. Files written with {@code fragmented} (the default) are
 * crash-safe ({@link #crashSafeOptions}). A failed write or trailer is an {@link OutputWriteException}
 * naming the cause.
 */
public final class VideoEncoder implements AutoCloseable {
    /** Tried in order for codec "auto". */
    public static final List<String> AUTO_ORDER = List.of("h264_nvenc", "libx264", "libopenh264", "mpeg4");
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");
    private static final Logger log = LoggerFactory.getLogger(VideoEncoder.class);

    private final StreamEncoder recorder;
    private final String codec;
    private final String label;
    private final String unfinishable;
    private final int width;
    private final int height;
    private boolean closed;
    private boolean failed;

    /** An encoder chosen for a target and the encoder options it accepted; reused to reopen (segments, reconnects). */
    public record Choice(String codec, Map<String, String> videoOptions) {
    }

    /** Opening the destination failed (file, connection, server): {@link #errorCode()} is FFmpeg's, or 0. */
    public static final class StartException extends IvfuseException {
        private static final long serialVersionUID = 1L;
        private final transient int errorCode;

        StartException(String message, int errorCode, Throwable cause) {
            super(message, cause);
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }
    }

    private VideoEncoder(StreamEncoder recorder, String codec, String label, String unfinishable, int width, int height) {
        this.recorder = recorder;
        this.codec = codec;
        this.label = label;
        this.unfinishable = unfinishable;
        this.width = width;
        this.height = height;
    }

    /** A video file; the container follows from the extension. */
    public static VideoEncoder open(Path file, int width, int height, double fps, EncoderSettings settings) {
        String format = containerFor(file);
        checkWritable(file);
        MuxTarget target = new MuxTarget(file.toString(), format, Map.of(), false, "output " + file);
        VideoEncoder e = start(target, choose(target, width, height, fps, settings), width, height, fps, settings);
        log.info("encoding {} with {}", file, e.codec);
        return e;
    }

    /** Any target: chooses the encoder, then opens the destination. */
    public static VideoEncoder open(MuxTarget target, int width, int height, double fps, EncoderSettings settings) {
        return start(target, choose(target, width, height, fps, settings), width, height, fps, settings);
    }

    /**
     * Picks the encoder for {@code target} without opening the destination: the first candidate in
     * the build that the muxer can carry and that opens with these settings and options.
     */
    public static Choice choose(MuxTarget target, int width, int height, double fps, EncoderSettings settings) {
        boolean auto = "auto".equalsIgnoreCase(settings.codec());
        List<String> candidates = auto ? AUTO_ORDER : List.of(settings.codec());
        if ((width % 2 != 0 || height % 2 != 0) && !"ffv1".equals(settings.codec())) {
            throw new IvfuseException(target.label() + ": frames are " + width + "x" + height
                    + " but the H.264/MPEG-4 encoders need even sizes (use --codec ffv1 with a .mkv file)");
        }
        double rate = fps > 0 ? fps : 30;
        AVOutputFormat muxer = av_guess_format(target.format(), null, null);
        String lastError = "no encoder";
        for (String codec : candidates) {
            if (codec.endsWith("_nvenc") && auto && !Files.exists(NVIDIA_DRIVER)) {
                continue; // no NVIDIA driver: don't let FFmpeg try (and complain about) libcuda
            }
            AVCodec c = avcodec_find_encoder_by_name(codec);
            if (c == null || c.isNull()) {
                lastError = "encoder '" + codec + "' is not in this FFmpeg build";
                continue;
            }
            if (muxer != null && avformat_query_codec(muxer, c.id(), FF_COMPLIANCE_NORMAL) == 0) {
                lastError = "the " + target.format() + " format cannot carry " + codec;
                continue;
            }
            Map<String, String> lenient = new LinkedHashMap<>();
            if (settings.preset() != null) {
                lenient.put("preset", settings.preset());
            }
            FfmpegOptions.Trial trial = FfmpegOptions.tryEncoder(c, codec, width, height, rate, settings.gopFrames(rate),
                    bitRate(codec, settings), tuning(codec, settings, target.live()), lenient, settings.options(),
                    !auto, target.label());
            if (trial.problem() == null) {
                return new Choice(codec, trial.applied());
            }
            lastError = codec + ": " + trial.problem();
            log.debug("encoder {} did not open: {}", codec, lastError);
        }
        throw new IvfuseException(target.label() + ": no video encoder could be opened (" + lastError + ")");
    }

    /**
     * Options ivfuse sets itself: threads, no B-frames, and for live targets low-delay tuning.
     * libopenh264 runs its threads on slices only (one slice a thread), so it gets a slice per
     * thread; the thread plan gives it one thread: on 2 cores its slice threads cost more than
     * they bring (361 vs 289 fps for `run --engine average`, benchmarks/README.md).
     */
    static Map<String, String> tuning(String codec, EncoderSettings settings, boolean live) {
        Map<String, String> m = new LinkedHashMap<>();
        boolean openh264 = "libopenh264".equals(codec);
        int threads = settings.threads() > 0 ? settings.threads() : openh264 ? 1 : settings.plannedThreads();
        m.put("threads", threads > 0 ? Integer.toString(threads) : "auto");
        if (openh264 && threads > 1) {
            m.put("slices", Integer.toString(threads));
        }
        m.put("bf", "0");
        if (live) {
            if ("libx264".equals(codec)) {
                m.put("tune", "zerolatency");
                if (settings.preset() == null) {
                    m.put("preset", "veryfast");
                }
            } else if (codec.endsWith("_nvenc")) {
                m.put("zerolatency", "1");
                m.put("delay", "0");
            }
        }
        return m;
    }

    private static long bitRate(String codec, EncoderSettings settings) {
        // 0 = the encoder's own default quality (CRF 23 for libx264); JavaCV would otherwise
        // impose 400 kbit/s.
        return "ffv1".equals(codec) ? 0 : settings.bitrateKbps() * 1000L;
    }

    /**
     * Opens the destination with an encoder {@link #choose} accepted. A failure here is about the
     * destination (a path, a connection, a server), thrown as {@link StartException}.
     */
    public static VideoEncoder start(MuxTarget target, Choice choice, int width, int height, double fps,
                                     EncoderSettings settings) {
        double rate = fps > 0 ? fps : 30;
        StreamEncoder r = new StreamEncoder(target.location(), width, height);
        r.setFormat(target.format());
        r.setVideoCodecName(choice.codec());
        r.setFrameRate(rate);
        r.setPixelFormat(AV_PIX_FMT_YUV420P);
        r.setGopSize(settings.gopFrames(rate));
        r.setVideoBitrate(bitRate(choice.codec(), settings));
        choice.videoOptions().forEach(r::setVideoOption);
        if (!target.live() && settings.fragmented()) {
            crashSafeOptions(target.format(), settings.gopSeconds()).forEach(r::setOption);
        }
        target.options().forEach(r::setOption);
        boolean plainMp4 = !settings.fragmented() && ("mp4".equals(target.format()) || "mov".equals(target.format()));
        String unfinishable = plainMp4 ? "; a plain MP4 is unplayable until its index is written at the end"
                + " (output.fragmented: true, the default, keeps every finished fragment)" : "";
        try {
            r.start();
            log.debug("{}: started with {}", target.label(), choice.codec());
            return new VideoEncoder(r, choice.codec(), target.label(), unfinishable, width, height);
        } catch (FrameRecorder.Exception | RuntimeException e) {
            r.release();
            throw new StartException(target.label() + ": cannot open (" + FfmpegErrors.describe(e) + ")", FfmpegErrors.code(e), e);
        }
    }

    /**
     * Muxer options that make a file survive a crash (kill -9, power loss) up to its last GOP:
     * MP4/MOV as fragments, Matroska as clusters, each cut at a keyframe and at most one GOP long
     * whatever keyframes the encoder makes, and every packet handed to the OS as it is written
     * ({@code flush_packets}; otherwise FFmpeg holds up to 256 KiB back until it fills its buffer).
     */
    static Map<String, String> crashSafeOptions(String format, double gopSeconds) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (format) {
            case "mp4", "mov" -> {
                m.put("movflags", "frag_keyframe+empty_moov+default_base_moof");
                m.put("frag_duration", String.valueOf(Math.round(gopSeconds * 1e6)));
            }
            case "matroska" -> m.put("cluster_time_limit", String.valueOf(Math.round(gopSeconds * 1e3)));
            case "hls" -> {
                return m; // segments of its own, each finished as it is cut
            }
            default -> {
            }
        }
        m.put("flush_packets", "1");
        return m;
    }

    /** Encodes one packed YUV 4:2:0 picture shown at {@code timestampUs} from the start. */
    public void write(ByteBuffer yuv420p, long timestampUs) {
        try {
            // A frame number from the timestamp keeps gaps (dropped frames) in the timeline, but
            // must only move forward or the muxer rejects the packet.
            long frameNumber = Math.round(timestampUs * recorder.getFrameRate() / 1e6);
            if (frameNumber > recorder.getFrameNumber()) {
                recorder.setFrameNumber(frameNumber);
            }
            recorder.recordImage(yuv420p);
        } catch (FrameRecorder.Exception e) {
            failed = true;
            throw new OutputWriteException(label + ": write failed (" + FfmpegErrors.describe(e) + ")" + unfinishable, e);
        }
    }

    public String codec() {
        return codec;
    }

    /** A write or the trailer failed: the file holds less than was given to {@link #write}. */
    public boolean failed() {
        return failed;
    }

    /** Flushes the encoder, writes the trailer and closes the file, failing if any of it did not reach it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop(); // drains the encoder, writes the trailer, checks both reached the file; frees it all
        } catch (FrameRecorder.Exception e) {
            failed = true;
            throw new OutputWriteException(label + ": could not finish (" + FfmpegErrors.describe(e) + ")" + unfinishable, e);
        }
    }

    /** The FFmpeg muxer for a video file's extension. */
    static String containerFor(Path file) {
        String format = containerForExtension(extension(file.getFileName().toString()));
        if (format == null) {
            throw new IvfuseException("output " + file + ": unknown video container '." + extension(file.getFileName().toString())
                    + "' (use .mp4, .mkv, .mov, .avi or .ts, .m3u8 for HLS, or a directory ending in / for PNG frames)");
        }
        return format;
    }

    /** The muxer for a video extension (lower case, no dot), or null. */
    static String containerForExtension(String ext) {
        switch (ext) {
            case "mp4":
            case "m4v":
                return "mp4";
            case "mkv":
                return "matroska";
            case "mov":
                return "mov";
            case "avi":
                return "avi";
            case "ts":
                return "mpegts";
            default:
                return null;
        }
    }

    static String extension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        return dot < 0 ? "" : lower.substring(dot + 1);
    }

    static void checkWritable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IvfuseException("output " + file + ": directory " + parent + " does not exist");
        }
        if (!Files.isWritable(parent) || (Files.exists(file) && !Files.isWritable(file)) || Files.isDirectory(file)) {
            throw new IvfuseException("output " + file + ": cannot be written");
        }
    }
}
