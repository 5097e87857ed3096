package io.ivfuse.util;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials of URLs ({@code rtsp://user:password@host/...} becomes
 * {@code rtsp://***@host/...}) wherever a location is shown: logs, errors, metrics, summaries and
 * thread names. Every place that prints an input or output location goes through here.
 *
 * <p>Secrets that the configuration brought in from files or secret environment variables
 * ({@link #addSecret}) are hidden too, wherever they appear in the text: a password with a '/' or
 * '@' in it, or one passed as an FFmpeg option, is not where the URL patterns look.
 */
public final class Redaction {
    /** The mask shown in place of a secret. */
    public static final String MASK = "***";
    /**
     * Shorter secrets are hidden only where the URL patterns find them: masking every "ab" of a
     * message would make it unreadable.
     */
    public static final int MIN_SECRET_LENGTH = 4;
    /** scheme://userinfo@ : the userinfo part stops at the first '/', so '@' in a path is left alone. */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@");
    /** Query parameters that carry secrets in some protocols (SRT's passphrase, tokens). */
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "([?&](?:passphrase|password|pass|pwd|token|key|secret|auth)=)[^&#]*", Pattern.CASE_INSENSITIVE);
    /** Names (of environment variables) that say their value is a secret: the words of {@link #SECRET_QUERY}, and more. */
    private static final Pattern SECRET_NAME = Pattern.compile("pass|pwd|token|key|secret|auth|cred", Pattern.CASE_INSENSITIVE);
    /** Process-wide, longest first (so a secret that contains another is masked whole). */
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private Redaction() {
    }

    /** {@code text} with every URL's {@code user:password@} (and secret query values), and every known secret, replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : SECRETS) {
            out = out.replace(secret, MASK);
        }
        out = USERINFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return SECRET_QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /** From now on, {@link #redact} hides {@code secret} wherever it appears (if at least {@value #MIN_SECRET_LENGTH} characters long). */
    public static void addSecret(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            return;
        }
        synchronized (SECRETS) {
            if (!SECRETS.contains(secret)) {
                SECRETS.add(secret);
                SECRETS.sort(Comparator.comparingInt(String::length).reversed());
            }
        }
    }

    /** Whether a name (of an environment variable, an option) says its value is a secret: PASSWORD, CAM_PWD, API_TOKEN, SRT_KEY... */
    public static boolean namesSecret(String name) {
        return SECRET_NAME.matcher(name).find();
    }
}
