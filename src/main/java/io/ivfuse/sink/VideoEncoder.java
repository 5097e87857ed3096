package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.IvfuseException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes packed YUV 4:2:0 pictures into a video file with JavaCV's FFmpeg recorder. With codec
 * {@code auto} it takes the best encoder that opens here: NVENC, then libx264 (GPL build), then
 * libopenh264 (the default LGPL build), then MPEG-4 part 2. {@link #close()} writes the trailer,
 * so a stopped run still leaves a playable file.
 */
public final class VideoEncoder implements AutoCloseable {
    /** Tried in order for codec "auto". */
    public static final List<String> AUTO_ORDER = List.of("h264_nvenc", "libx264", "libopenh264", "mpeg4");
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");
    private static final Logger log = LoggerFactory.getLogger(VideoEncoder.class);

    private final FFmpegFrameRecorder recorder;
    private final String codec;
    private final Path file;
    private final int width;
    private final int height;
    private boolean closed;

    private VideoEncoder(FFmpegFrameRecorder recorder, String codec, Path file, int width, int height) {
        this.recorder = recorder;
        this.codec = codec;
        this.file = file;
        this.width = width;
        this.height = height;
    }

    public static VideoEncoder open(Path file, int width, int height, double fps, EncoderSettings settings) {
        String format = containerFor(file);
        checkWritable(file);
        List<String> candidates = "auto".equalsIgnoreCase(settings.codec()) ? AUTO_ORDER : List.of(settings.codec());
        if ((width % 2 != 0 || height % 2 != 0) && !"ffv1".equals(settings.codec())) {
            throw new IvfuseException("output " + file + ": frames are " + width + "x" + height
                    + " but the H.264/MPEG-4 encoders need even sizes (use --codec ffv1 with a .mkv file)");
        }
        String lastError = "no encoder";
        for (String codec : candidates) {
            if (codec.endsWith("_nvenc") && candidates.size() > 1 && !Files.exists(NVIDIA_DRIVER)) {
                continue; // no NVIDIA driver: don't let FFmpeg try (and complain about) libcuda
            }
            if (avcodec_find_encoder_by_name(codec) == null) {
                lastError = "encoder '" + codec + "' is not in this FFmpeg build";
                continue;
            }
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), width, height, 0);
            r.setFormat(format);
            r.setVideoCodecName(codec);
            r.setFrameRate(fps > 0 ? fps : 30);
            r.setPixelFormat(AV_PIX_FMT_YUV420P);
            r.setVideoOption("threads", "auto");
            // 0 = the encoder's own default quality (CRF 23 for libx264); JavaCV would otherwise
            // impose 400 kbit/s.
            r.setVideoBitrate("ffv1".equals(codec) ? 0 : settings.bitrateKbps() * 1000);
            if (settings.preset() != null) {
                r.setVideoOption("preset", settings.preset());
            }
            if (settings.fragmented() && "mp4".equals(format)) {
                r.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
            }
            try {
                r.start();
                log.info("encoding {} with {}", file, codec);
                return new VideoEncoder(r, codec, file, width, height);
            } catch (FrameRecorder.Exception | RuntimeException e) {
                lastError = codec + ": " + String.valueOf(e.getMessage()).split("\n")[0];
                log.debug("encoder {} did not open: {}", codec, lastError);
                release(r);
            }
        }
        throw new IvfuseException("output " + file + ": no video encoder could be opened (" + lastError + ")");
    }

    /** Encodes one packed YUV 4:2:0 picture shown at {@code timestampUs} from the start. */
    public void write(ByteBuffer yuv420p, long timestampUs) {
        try {
            // A frame number from the timestamp keeps gaps (dropped frames) in the timeline, but
            // must only move forward or the muxer rejects the packet.
            long frameNumber = Math.round(timestampUs * recorder.getFrameRate() / 1e6);
            if (frameNumber > recorder.getFrameNumber()) {
                recorder.setFrameNumber((int) frameNumber);
            }
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, AV_PIX_FMT_YUV420P, yuv420p);
        } catch (FrameRecorder.Exception e) {
            throw new IvfuseException("output " + file + ": encoding failed (" + e.getMessage() + ")", e);
        }
    }

    public String codec() {
        return codec;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IvfuseException("output " + file + ": could not finish the file (" + e.getMessage() + ")", e);
        } finally {
            release(recorder);
        }
    }

    private static void release(FFmpegFrameRecorder r) {
        try {
            r.release();
        } catch (FrameRecorder.Exception | RuntimeException ignored) {
            // Already failing or closing.
        }
    }

    static String containerFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
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
            default:
                throw new IvfuseException("output " + file + ": unknown video container '." + ext
                        + "' (use .mp4, .mkv, .mov or .avi, or a directory ending in / for PNG frames)");
        }
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
