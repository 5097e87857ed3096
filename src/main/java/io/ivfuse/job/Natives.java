package io.ivfuse.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * Process-wide native settings, applied once before any native object exists: explicit JavaCPP
 * memory limits (users may override them with -D), JavaCPP/JavaCV logging through SLF4J, and
 * FFmpeg's own log quietened to errors.
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
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
