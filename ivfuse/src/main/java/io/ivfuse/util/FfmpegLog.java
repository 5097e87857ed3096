package io.ivfuse.util;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log, through SLF4J (logger {@code ffmpeg}) instead of raw lines on stderr, with the
 * credentials of any URL in it hidden. FFmpeg errors become warnings: ivfuse reports the failure
 * that matters itself, in one line naming the input or output. A message seen before (a camera
 * refusing every reconnection attempt, say) goes to debug, so each problem is logged once; messages
 * that differ only in their numbers are the same problem (a damaged file makes the decoder report
 * "error while decoding MB 25 0", "... MB 27 0"... for hundreds of macroblocks: one warning, and
 * the input's damage is counted and reported by ivfuse itself); a thread
 * that retries a connection can also {@link #quiet} its own messages meanwhile. Installed once, by
 * {@code Natives.ffmpeg()}, before any FFmpeg object exists.
 */
public final class FfmpegLog extends LogCallback {
    private static final Logger log = LoggerFactory.getLogger("ffmpeg");
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Held so that the callback the native side calls is never collected. */
    private static FfmpegLog installed;
    private static final Pattern CONTEXT_ADDRESS = Pattern.compile(" @ 0x[0-9a-f]+");
    private static final Pattern NUMBER = Pattern.compile("\\b(?:0x[0-9a-fA-F]+|[0-9A-F]*\\d[0-9A-F]*)\\b");
    private static final int REMEMBERED = 256;
    private final Map<String, Boolean> seen = new LinkedHashMap<>(REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private FfmpegLog() {
    }

    /** Routes FFmpeg's log through this callback (process-wide; idempotent). */
    public static synchronized void install() {
        if (installed == null) {
            installed = new FfmpegLog();
            setLogCallback(installed);
        }
    }

    /** Sends FFmpeg's messages from the calling thread to debug (true) or back to normal (false). */
    public static void quiet(boolean quiet) {
        QUIET.set(quiet);
    }

    @Override
    public void call(int level, BytePointer message) {
        if (message == null || message.isNull()) {
            return;
        }
        String text = Redaction.redact(message.getString().strip());
        if (text.isEmpty()) {
            return;
        }
        if (level > AV_LOG_WARNING || QUIET.get() || !firstTime(text)) {
            log.debug(text);
        } else if (level <= AV_LOG_ERROR) {
            log.warn(text);
        } else {
            log.info(text);
        }
    }

    private synchronized boolean firstTime(String text) {
        String problem = NUMBER.matcher(CONTEXT_ADDRESS.matcher(text).replaceAll("")).replaceAll("#");
        return seen.put(problem, Boolean.TRUE) == null;
    }
}
