package io.ivfuse.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;

import io.ivfuse.util.Redaction;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log, through SLF4J (logger {@code ffmpeg}) instead of raw lines on stderr, with the
 * credentials of any URL in it hidden. FFmpeg errors become warnings: ivfuse reports the failure
 * that matters itself, in one line naming the input or output.
 */
final class FfmpegLog extends LogCallback {
    private static final Logger log = LoggerFactory.getLogger("ffmpeg");

    @Override
    public void call(int level, BytePointer message) {
        String text = Redaction.redact(message.getString().strip());
        if (text.isEmpty()) {
            return;
        }
        if (level <= AV_LOG_ERROR) {
            log.warn(text);
        } else if (level <= AV_LOG_WARNING) {
            log.info(text);
        } else {
            log.debug(text);
        }
    }
}
