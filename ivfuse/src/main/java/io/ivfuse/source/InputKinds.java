package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.util.Redaction;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The input kinds by URI scheme: the factory that turns a configured input into an {@link InputPlan}. */
public final class InputKinds {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    private static final InputKind FILES = new FileInput();
    private static final InputKind IMAGES = new ImageSequenceInput();
    private static final InputKind DEVICES = new V4l2Input();
    private static final List<InputKind> KINDS = List.of(FILES, IMAGES, new RtspInput(), new StreamInput(), DEVICES);
    private static final Map<String, InputKind> BY_SCHEME = new LinkedHashMap<>();

    static {
        for (InputKind kind : KINDS) {
            for (String scheme : kind.schemes()) {
                BY_SCHEME.put(scheme, kind);
            }
        }
    }

    private InputKinds() {
    }

    /** Resolves an input; {@code role} is "IR" or "visible". FFmpeg picks the decoder's threads. */
    public static InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        return plan(role, spec, live, 0);
    }

    /** As {@link #plan(String, InputSpec, IvfuseConfig.Live)}, with {@code decoderThreads} (0 = FFmpeg's choice) unless the input's own decoder options set them. */
    public static InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live, int decoderThreads) {
        if (spec == null || spec.uri == null || spec.uri.isBlank()) {
            throw new IvfuseException(role + " input: no file or URL given");
        }
        InputPlan plan = kindOf(role, spec.uri).plan(role, spec, live);
        // A live decoder outputs each frame as soon as it is decoded: FFmpeg's frame threading,
        // on by default, holds back one frame per extra thread (66 ms at 30 fps on 2 cores).
        Map<String, String> decoder = new LinkedHashMap<>();
        if (decoderThreads > 0) {
            decoder.put("threads", Integer.toString(decoderThreads));
        }
        if (plan.live()) {
            decoder.put("flags", "low_delay");
        }
        decoder.putAll(spec.decoderOptions);
        return plan.withDecoderOptions(decoder);
    }

    static InputKind kindOf(String role, String uri) {
        String scheme = scheme(uri);
        if (scheme.isEmpty()) {
            if (uri.startsWith("/dev/video") || uri.startsWith("/dev/v4l/")) {
                return DEVICES;
            }
            return isImageSequence(uri) ? IMAGES : FILES;
        }
        InputKind kind = BY_SCHEME.get(scheme);
        if (kind == null) {
            throw new IvfuseException(role + " input '" + Redaction.redact(uri) + "': unknown scheme '" + scheme
                    + "://' (supported: " + String.join(", ", new TreeSet<>(BY_SCHEME.keySet())) + ")");
        }
        return kind;
    }

    /** The lower-case scheme of a URL, or "" for a plain path. */
    static String scheme(String uri) {
        Matcher m = SCHEME.matcher(uri);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * The local file, folder or device an input reads (a printf pattern's folder), or null for a
     * URL; nothing is checked. Outputs are checked against it so that none writes over an input.
     */
    public static Path localPath(String uri) {
        String scheme = scheme(uri);
        if (!scheme.isEmpty() && !scheme.equals("file") && !scheme.equals("images")) {
            return null;
        }
        String path = scheme.isEmpty() ? uri : uri.substring(scheme.length() + "://".length());
        return ImageSequenceInput.isPattern(path) ? Path.of(path).toAbsolutePath().getParent() : Path.of(path);
    }

    /** A folder of frames or a printf pattern such as {@code frames/%06d.png}. */
    static boolean isImageSequence(String path) {
        return ImageSequenceInput.isPattern(path) || java.nio.file.Files.isDirectory(java.nio.file.Path.of(path));
    }

    /** ivfuse's defaults for a kind, then the user's options over them. */
    static Map<String, String> merge(Map<String, String> defaults, InputSpec spec) {
        Map<String, String> all = new LinkedHashMap<>(defaults);
        all.putAll(spec.options);
        return all;
    }

    /** Low-latency demuxer defaults for live inputs (all overridable through {@code options}). */
    static Map<String, String> lowLatency(Map<String, String> into) {
        into.put("fflags", "nobuffer");
        into.put("probesize", "500000");
        into.put("analyzeduration", "1000000");
        return into;
    }
}
