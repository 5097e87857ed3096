package io.ivfuse.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NVDEC first for the codecs it decodes ({@code h264_cuvid}, {@code hevc_cuvid}, ...), as
 * {@code sink.VideoEncoder} tries NVENC first: tried only where the NVIDIA driver is loaded and the
 * FFmpeg build has the decoder, and a decoder that does not open falls back to FFmpeg's software
 * decoder. Each reason for falling back is logged once per process, in one line. Off with
 * {@code -Divfuse.nvdec=false}.
 */
final class HardwareDecoding {
    static final String ENABLED_PROPERTY = "ivfuse.nvdec";
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");
    private static final Map<Integer, String> NVDEC = Map.of(AV_CODEC_ID_H264, "h264_cuvid", AV_CODEC_ID_HEVC, "hevc_cuvid",
            AV_CODEC_ID_VP9, "vp9_cuvid", AV_CODEC_ID_AV1, "av1_cuvid");
    private static final Logger log = LoggerFactory.getLogger(HardwareDecoding.class);
    private static final Set<String> logged = ConcurrentHashMap.newKeySet();

    private HardwareDecoding() {
    }

    /** The NVDEC decoder's name for an FFmpeg codec id, or null when NVDEC does not decode it. */
    static String nvdecName(int codecId) {
        return NVDEC.get(codecId);
    }

    /**
     * Why the NVDEC decoder {@code name} is not tried, or null when it is: the order is the switch,
     * then the driver, then the FFmpeg build.
     */
    static String skipReason(String name, boolean enabled, boolean driverLoaded, boolean inBuild) {
        if (!enabled) {
            return "turned off (-D" + ENABLED_PROPERTY + "=false)";
        }
        if (!driverLoaded) {
            return "no NVIDIA driver (" + NVIDIA_DRIVER + ")";
        }
        if (!inBuild) {
            return name + " is not in this FFmpeg build";
        }
        return null;
    }

    /** The NVDEC decoder to try first for {@code codecId} here, or null (the reason logged once) for software only. */
    static AVCodec hardwareFor(int codecId, String softwareName) {
        String name = nvdecName(codecId);
        if (name == null) {
            return null;
        }
        boolean enabled = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true"));
        boolean driver = Files.exists(NVIDIA_DRIVER);
        AVCodec codec = enabled && driver ? avcodec_find_decoder_by_name(name) : null;
        boolean inBuild = codec != null && !codec.isNull();
        String reason = skipReason(name, enabled, driver, inBuild);
        if (reason != null) {
            fellBack(name, softwareName, reason);
            return null;
        }
        return codec;
    }

    /** Logs, once per process and reason, that {@code name} was not used. */
    static void fellBack(String name, String softwareName, String reason) {
        String line = "NVDEC (" + name + ") not used: " + reason + "; decoding in software (" + softwareName + ")";
        if (logged.add(line)) {
            log.info(line);
        }
    }

    /** The line {@link #fellBack} logs, for tests. */
    static boolean hasLogged(String name, String reason) {
        return logged.stream().anyMatch(l -> l.startsWith("NVDEC (" + name + ") not used: " + reason));
    }
}
