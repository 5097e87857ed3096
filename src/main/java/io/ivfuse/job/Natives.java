package io.ivfuse.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import io.ivfuse.util.FfmpegLog;

/**
 * Process-wide native settings, applied once before any native object exists: explicit JavaCPP
 * memory limits (users may override them with -D), JavaCPP/JavaCV logging through SLF4J, FFmpeg's
 * own log quietened to errors and sent through SLF4J ({@link FfmpegLog}), and OpenCV's thread pool off: ivfuse already runs stages and frames
 * (or images) in parallel, and at video frame sizes OpenCV's own threads only add overhead
 * (benchmarks/registration.md, benchmarks/engines.md).
 */
public final class Natives {
    private static boolean done;

    private Natives() {
    }

    public static synchronized void init() {
        if (done) {
            return;
        }
        done = true;
        setDefault("org.bytedeco.javacpp.maxBytes", "2g");
        setDefault("org.bytedeco.javacpp.maxPhysicalBytes", "8g");
        setDefault("org.bytedeco.javacpp.logger", "slf4j");
        av_log_set_level(AV_LOG_ERROR);
        FfmpegLog.install();
        setNumThreads(1);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
