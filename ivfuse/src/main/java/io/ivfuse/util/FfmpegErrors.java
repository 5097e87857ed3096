package io.ivfuse.util;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FFmpeg's own words for its error codes, for one-line messages about inputs and outputs. */
public final class FfmpegErrors {
    /** How JavaCV and ivfuse's FFmpeg wrappers put the code in a message: "avio_open2() error -111: ...". */
    private static final Pattern CODE = Pattern.compile("error (-\\d+)");
    /** The hint JavaCV appends to its messages, which means nothing to a user. */
    private static final Pattern JAVACV_HINT = Pattern.compile("\\s*\\(For more details, make sure FFmpegLogCallback.*$");

    private FfmpegErrors() {
    }

    /** FFmpeg's words for an error code ("No space left on device"), or "error N" when it has none. */
    public static String text(int error) {
        String words = words(error);
        return words != null ? words : "error " + error;
    }

    /** The FFmpeg error code in an exception's message, or 0. */
    public static int code(Throwable e) {
        Matcher m = CODE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** FFmpeg's words for the code in the message, else the message's first line; credentials hidden. */
    public static String describe(Throwable e) {
        String words = words(code(e));
        if (words != null) {
            return words;
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Redaction.redact(JAVACV_HINT.matcher(m.split("\n")[0]).replaceFirst("").trim());
    }

    private static String words(int error) {
        if (error == 0) {
            return null;
        }
        byte[] text = new byte[256];
        if (av_strerror(error, text, text.length) != 0) {
            return null;
        }
        int n = 0;
        while (n < text.length && text[n] != 0) {
            n++;
        }
        return new String(text, 0, n, StandardCharsets.UTF_8);
    }
}
