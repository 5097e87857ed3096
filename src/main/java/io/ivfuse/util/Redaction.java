package io.ivfuse.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials of URLs ({@code rtsp://user:password@host/...} becomes
 * {@code rtsp://***@host/...}) wherever a location is shown: logs, errors, metrics, summaries and
 * thread names. Every place that prints an input or output location goes through here.
 */
public final class Redaction {
    /** scheme://userinfo@ : the userinfo part stops at the first '/', so '@' in a path is left alone. */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@");
    /** Query parameters that carry secrets in some protocols (SRT's passphrase, tokens). */
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "([?&](?:passphrase|password|pass|pwd|token|key|secret|auth)=)[^&#]*", Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    /** {@code text} with every URL's {@code user:password@} (and secret query values) replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@"));
        return SECRET_QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***"));
    }
}
