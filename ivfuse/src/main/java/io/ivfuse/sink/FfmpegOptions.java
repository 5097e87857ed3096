package io.ivfuse.sink;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_protocol_get_class;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_OPTION_NOT_FOUND;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_SEARCH_CHILDREN;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_SEARCH_FAKE_OBJ;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_find;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import io.ivfuse.IvfuseException;
import io.ivfuse.util.FfmpegErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVClass;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks options against FFmpeg's own option tables (AVOption) before anything is opened, so a
 * misspelt name or a bad value is a clear error at start rather than something FFmpeg silently
 * ignores or a stream that never connects.
 */
final class FfmpegOptions {
    private static final Logger log = LoggerFactory.getLogger(FfmpegOptions.class);
    /** Options of every URL, whatever the protocol. */
    private static final Set<String> URL_OPTIONS = Set.of("rw_timeout", "protocol_whitelist", "protocol_blacklist");
    private static final Set<String> warned = new HashSet<>();

    private FfmpegOptions() {
    }

    static boolean muxerExists(String format) {
        return av_guess_format(format, null, null) != null;
    }

    /**
     * Checks {@code options} against the muxer {@code format} (values are set on a scratch muxer
     * context, so bad values are caught) and, for names the muxer lacks, the protocols the output
     * goes through (names only: a protocol's values are checked when it connects).
     */
    static void checkMuxerOptions(String format, List<String> protocols, Map<String, String> options, String label) {
        AVFormatContext ctx = new AVFormatContext(null);
        if (avformat_alloc_output_context2(ctx, null, format, null) < 0 || ctx.isNull()) {
            throw new IvfuseException(label + ": unknown FFmpeg format '" + format + "' (ffmpeg -muxers lists them)");
        }
        try {
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, String> o : options.entrySet()) {
                int r = av_opt_set(ctx, o.getKey(), o.getValue(), AV_OPT_SEARCH_CHILDREN);
                if (r == AVERROR_OPTION_NOT_FOUND()) {
                    if (!URL_OPTIONS.contains(o.getKey()) && !protocolHas(protocols, o.getKey())) {
                        unknown.add(o.getKey());
                    }
                } else if (r < 0) {
                    throw new IvfuseException(label + ": option '" + o.getKey() + ": " + o.getValue()
                            + "' is not valid for the " + format + " format (" + FfmpegErrors.text(r) + ")");
                }
            }
            if (!unknown.isEmpty()) {
                throw new IvfuseException(label + ": unknown option" + (unknown.size() > 1 ? "s '" : " '")
                        + String.join("', '", unknown) + "' (not an option of the " + format + " format"
                        + (protocols.isEmpty() ? "" : " or of the " + String.join("/", protocols) + " protocol") + ")");
            }
        } finally {
            avformat_free_context(ctx);
        }
    }

    private static boolean protocolHas(List<String> protocols, String name) {
        for (String p : protocols) {
            AVClass cls = avio_protocol_get_class(p);
            if (cls == null || cls.isNull()) {
                continue;
            }
            try (PointerPointer<AVClass> fake = new PointerPointer<>(1)) {
                fake.put(0, cls);
                if (av_opt_find(fake, name, null, 0, AV_OPT_SEARCH_FAKE_OBJ) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What trying an encoder gave: null problem and the options it takes, or why it would not open. */
    record Trial(String problem, Map<String, String> applied) {
    }

    /**
     * Opens {@code codec} once, unattached to any file, with the settings the recorder will use.
     * {@code internal} options (tuning ivfuse applies) are kept where the encoder has them;
     * {@code lenient} ones (the preset) are dropped where it lacks them; {@code user} options must
     * exist. With {@code strict} (an encoder named by the user) a rejected or unknown option is an
     * error; otherwise the encoder is passed over (or the unknown option ignored) with a warning.
     */
    static Trial tryEncoder(AVCodec codec, String name, int width, int height, double fps, int gop, long bitRate,
                            Map<String, String> internal, Map<String, String> lenient, Map<String, String> user,
                            boolean strict, String label) {
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            return new Trial("cannot allocate an encoder context", null);
        }
        try {
            ctx.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
            AVRational rate = av_d2q(fps, 1001000);
            ctx.time_base(av_inv_q(rate)).framerate(rate);
            ctx.gop_size(gop).max_b_frames(0).bit_rate(bitRate);
            Map<String, String> applied = new LinkedHashMap<>();
            for (Map.Entry<String, String> o : internal.entrySet()) {
                if (av_opt_set(ctx, o.getKey(), o.getValue(), AV_OPT_SEARCH_CHILDREN) >= 0) {
                    applied.put(o.getKey(), o.getValue());
                }
            }
            List<Map.Entry<String, String>> asked = new ArrayList<>(lenient.entrySet());
            asked.addAll(user.entrySet());
            for (Map.Entry<String, String> o : asked) {
                String k = o.getKey();
                int r = av_opt_set(ctx, k, o.getValue(), AV_OPT_SEARCH_CHILDREN);
                if (r == AVERROR_OPTION_NOT_FOUND()) {
                    if (lenient.containsKey(k) && !user.containsKey(k)) {
                        continue;
                    }
                    if (strict) {
                        throw new IvfuseException(label + ": encoder option '" + k + "' is not an option of " + name);
                    }
                    warnOnce(name + "/" + k, "encoder option '{}' is not an option of {}: ignored", k, name);
                    continue;
                }
                if (r < 0) {
                    String why = "option '" + k + ": " + o.getValue() + "' rejected (" + FfmpegErrors.text(r) + ")";
                    if (strict) {
                        throw new IvfuseException(label + ": encoder " + name + ": " + why);
                    }
                    warnOnce(name + "/" + k + "=" + o.getValue(), "encoder {}: {}; trying the next encoder", name, why);
                    return new Trial(why, null);
                }
                applied.put(k, o.getValue());
            }
            int r = avcodec_open2(ctx, codec, (AVDictionary) null);
            return r < 0 ? new Trial(FfmpegErrors.text(r), null) : new Trial(null, applied);
        } finally {
            avcodec_free_context(ctx);
        }
    }

    private static void warnOnce(String key, String format, Object... args) {
        synchronized (warned) {
            if (!warned.add(key)) {
                return;
            }
        }
        log.warn(format, args);
    }
}
