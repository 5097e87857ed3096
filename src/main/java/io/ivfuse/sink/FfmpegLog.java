package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import io.ivfuse.util.Redaction;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;

/**
 * FFmpeg's own messages (to stderr as before, at FFmpeg's log level), with URL credentials and
 * secret query values redacted, since some protocols print the URL they failed to reach; and
 * silenced on a network output's thread while it retries, so a receiver that stays away is
 * reported once, not at every attempt. Installed, process-wide, when a run has network outputs or
 * an output URL with credentials.
 */
final class FfmpegLog {
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Held so that the callback the native side calls is never collected. */
    private static LogCallback callback;

    private FfmpegLog() {
    }

    static synchronized void install() {
        if (callback != null) {
            return;
        }
        callback = new LogCallback() {
            @Override
            public void call(int level, BytePointer message) {
                if (level <= av_log_get_level() && !QUIET.get() && message != null && !message.isNull()) {
                    System.err.print(Redaction.redact(message.getString()));
                }
            }
        };
        setLogCallback(callback);
    }

    /** Silences (or restores) FFmpeg's messages from the calling thread. */
    static void quiet(boolean quiet) {
        QUIET.set(quiet);
    }
}
