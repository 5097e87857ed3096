package io.ivfuse.sink;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.config.IvfuseConfig.OutputEntry;
import io.ivfuse.util.Redaction;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output kinds and the factory that picks one per entry: by URI scheme ({@code udp:}, {@code
 * rtp:}, {@code srt:}, {@code rtsp:}, {@code rtmp:}, {@code rtmps:}, {@code display:}) or, for
 * paths ({@code file:} or none), by shape: a folder is a PNG sequence, {@code .m3u8} an HLS
 * playlist, a video extension a file, and any file or folder with {@code segment_seconds} a
 * segmented recording.
 */
public final class OutputKinds {
    /** Frame buffers of a network output unless its entry says otherwise. */
    public static final int DEFAULT_QUEUE_SIZE = 4;
    private static final Logger log = LoggerFactory.getLogger(OutputKinds.class);
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");
    private static final String KNOWN = "a file or folder path, a .m3u8 playlist, udp://, rtp://, srt://, rtsp://, rtmp://, rtmps:// or display:";

    public static final OutputKind FILE = new FileKind();
    public static final OutputKind SEGMENTS = new SegmentsKind();
    public static final OutputKind HLS = new HlsKind();
    public static final OutputKind PNG = new PngKind();
    public static final OutputKind DISPLAY = new DisplayKind();
    private static final Map<String, OutputKind> BY_SCHEME = new TreeMap<>();

    static {
        // mpegts for plain transports: it survives packet loss and late joiners (PAT/PMT repeat,
        // a keyframe every GOP). Small mux delay and a flush per packet keep latency low.
        Map<String, String> lowDelayTs = Map.of("flush_packets", "1", "max_delay", "100000");
        register("udp", new StreamKind("udp", "mpegts", List.of("udp"), with(lowDelayTs, "pkt_size", "1316")));
        register("rtp", new StreamKind("rtp", "rtp_mpegts", List.of("rtp", "udp"), Map.of("flush_packets", "1")));
        register("srt", new StreamKind("srt", "mpegts", List.of("srt"), lowDelayTs));
        // Publishing to an RTSP server (ANNOUNCE/RECORD), interleaved over the TCP connection.
        register("rtsp", new StreamKind("rtsp", "rtsp", List.of("tcp", "rtp", "udp"),
                Map.of("rtsp_transport", "tcp", "timeout", "5000000")));
        // A stalled server makes a write fail after 5 s (then the output reconnects) rather than block.
        Map<String, String> flv = Map.of("flvflags", "no_duration_filesize", "rw_timeout", "5000000");
        register("rtmp", new StreamKind("rtmp", "flv", List.of("rtmp", "tcp"), flv));
        register("rtmps", new StreamKind("rtmp", "flv", List.of("rtmps", "tls", "tcp"), flv));
        register("display", DISPLAY);
    }

    private OutputKinds() {
    }

    /** Adds (or replaces) the kind a URI scheme selects. */
    public static synchronized void register(String scheme, OutputKind kind) {
        BY_SCHEME.put(scheme.toLowerCase(Locale.ROOT), kind);
    }

    /** The kind for a scheme (without ':'), or null. */
    public static synchronized OutputKind forScheme(String scheme) {
        return BY_SCHEME.get(scheme.toLowerCase(Locale.ROOT));
    }

    /** The URI scheme of a location (lower case, without ':'), or null for a plain path. */
    static String scheme(String location) {
        Matcher m = SCHEME.matcher(location);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /** Resolves an entry against the {@code output} defaults: kind, muxer, options, encoder; checks it all. */
    static OutputTarget resolve(OutputEntry e, String id, IvfuseConfig.Output defaults) {
        String uri = e.uri.strip();
        String shownLabel = "output " + Redaction.redact(uri);
        String scheme = scheme(uri);
        String location = uri;
        OutputKind kind;
        if (scheme != null && !"file".equals(scheme)) {
            kind = forScheme(scheme);
            if (kind == null) {
                throw new IvfuseException(shownLabel + ": unknown scheme '" + scheme + ":' (an output is " + KNOWN + ")");
            }
            if (e.segmentSeconds > 0) {
                throw new IvfuseException(shownLabel + ": segment_seconds applies to files and folders only");
            }
        } else {
            location = scheme == null ? uri : uri.replaceFirst("^(?i)file:(//)?", "");
            kind = pathKind(location, e, shownLabel);
        }
        String muxer = kind.muxer(location);
        if (e.format != null) {
            if (kind == PNG || kind == DISPLAY) {
                throw new IvfuseException(shownLabel + ": 'format' does not apply to " + kind.name() + " outputs");
            }
            muxer = e.format.strip();
            if (!FfmpegOptions.muxerExists(muxer)) {
                throw new IvfuseException(shownLabel + ": unknown FFmpeg format '" + muxer + "' (ffmpeg -muxers lists them)");
            }
        } else if (muxer == null && (kind == FILE || kind == SEGMENTS)) {
            VideoEncoder.containerFor(Path.of(location)); // throws: unknown container
        }
        if (muxer == null && !e.options.isEmpty()) {
            throw new IvfuseException(shownLabel + ": 'options' do not apply to " + kind.name() + " outputs");
        }
        Map<String, String> options = new LinkedHashMap<>(kind.defaultOptions(location, e.options));
        options.putAll(e.options);
        Map<String, String> encoderOptions = new LinkedHashMap<>(defaults.options);
        encoderOptions.putAll(e.encoderOptions);
        EncoderSettings encoding = new EncoderSettings(
                e.codec != null ? e.codec : defaults.codec,
                e.bitrateKbps != null ? e.bitrateKbps : defaults.bitrateKbps,
                e.preset != null ? e.preset : defaults.preset,
                e.fragmented != null ? e.fragmented : defaults.fragmented,
                e.gopSeconds != null ? e.gopSeconds : defaults.gopSeconds,
                encoderOptions, defaults.encoderThreads, 0);
        OutputTarget t = new OutputTarget(id, uri, location, kind, muxer, e.view, options, encoding, e.segmentSeconds,
                e.queueSize != null ? e.queueSize : DEFAULT_QUEUE_SIZE, kind.listener(location, options));
        if (muxer != null) {
            FfmpegOptions.checkMuxerOptions(muxer, kind.protocols(), options, shownLabel);
        }
        kind.check(t);
        return t;
    }

    private static OutputKind pathKind(String location, OutputEntry e, String label) {
        String ext = VideoEncoder.extension(Path.of(location).getFileName() == null ? "" : Path.of(location).getFileName().toString());
        if (e.segmentSeconds > 0) {
            if ("m3u8".equals(ext)) {
                throw new IvfuseException(label + ": segment_seconds does not apply to HLS (its segments follow options: {hls_time: S})");
            }
            return SEGMENTS;
        }
        if (isFolder(location)) {
            return PNG;
        }
        return "m3u8".equals(ext) ? HLS : FILE;
    }

    static boolean isFolder(String location) {
        return location.endsWith("/") || location.endsWith(File.separator) || Files.isDirectory(Path.of(location));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    static void createDirectories(Path dir, String label) {
        try {
            Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new IvfuseException(label + ": cannot create the directory " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove the empty output {}: {}", file, e.getMessage());
        }
    }

    /** An output built on a view of the frame ({@code build} takes the view over); the view is closed when building fails. */
    private static Output onView(OutputTarget t, OutputContext ctx, Function<OutputView, Output> build) {
        OutputView view = OutputView.of(t.view(), ctx.geometry());
        try {
            return build.apply(view);
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    /** .mp4 / .mkv / .mov / .avi / .ts (or any file with 'format'): one file, written in frame order. */
    static final class FileKind implements OutputKind {
        @Override
        public String name() {
            return "file";
        }

        @Override
        public String muxer(String location) {
            return VideoEncoder.containerForExtension(VideoEncoder.extension(Path.of(location).getFileName().toString()));
        }

        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            Path file = Path.of(t.location());
            boolean existed = Files.exists(file);
            try {
                return onView(t, ctx, view -> {
                    VideoEncoder encoder = VideoEncoder.open(t.mux(), view.width(), view.height(), ctx.fps(), t.encoding());
                    log.info("encoding {} with {}", t.shown(), encoder.codec());
                    return new LocalOutput(t, ctx.registry(), view, PictureWriter.of(encoder, file), () -> delete(file));
                });
            } catch (RuntimeException e) {
                if (!existed) {
                    delete(file); // opening failed part-way (e.g. a full disk): no new file is left behind
                }
                throw e;
            }
        }
    }

    /** Rolling files of segment_seconds each, named by their start time ({@link SegmentNames}). */
    static final class SegmentsKind implements OutputKind {
        @Override
        public String name() {
            return "segments";
        }

        @Override
        public String muxer(String location) {
            if (isFolder(location)) {
                return "mp4";
            }
            return VideoEncoder.containerForExtension(VideoEncoder.extension(Path.of(location).getFileName().toString()));
        }

        static String pattern(OutputTarget t) {
            String ext = switch (t.muxer()) {
                case "matroska" -> "mkv";
                case "mpegts" -> "ts";
                default -> t.muxer();
            };
            return SegmentNames.pattern(t.location(), isFolder(t.location()), ext);
        }

        @Override
        public void check(OutputTarget t) {
            SegmentNames.check(pattern(t), t.label());
        }

        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            return onView(t, ctx, view -> {
                SegmentedWriter writer = new SegmentedWriter(t, pattern(t), view.width(), view.height(), ctx.fps());
                return new LocalOutput(t, ctx.registry(), view, writer, writer::discardEmpty);
            });
        }
    }

    /**
     * HLS: a playlist and MPEG-TS segments beside it, for browsers (hls.js, Safari) and players;
     * 2 s segments, the last 6 in the playlist, older ones deleted.
     */
    static final class HlsKind implements OutputKind {
        @Override
        public String name() {
            return "hls";
        }

        @Override
        public String muxer(String location) {
            return "hls";
        }

        @Override
        public Map<String, String> defaultOptions(String location, Map<String, String> entryOptions) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("hls_time", "2");
            m.put("hls_list_size", "6");
            m.put("hls_flags", "delete_segments+independent_segments+temp_file");
            return m;
        }

        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            Path playlist = Path.of(t.location()).toAbsolutePath();
            createDirectories(playlist.getParent(), t.label());
            return onView(t, ctx, view -> {
                VideoEncoder encoder = VideoEncoder.open(t.mux(), view.width(), view.height(), ctx.fps(), t.encoding());
                log.info("writing HLS {} with {}", t.shown(), encoder.codec());
                return new LocalOutput(t, ctx.registry(), view, PictureWriter.of(encoder, null), () -> discard(playlist));
            });
        }

        /** The playlist and the segments FFmpeg names after it (stem + number). */
        private static void discard(Path playlist) {
            String name = playlist.getFileName().toString();
            String stem = name.substring(0, name.length() - ".m3u8".length());
            Pattern segment = Pattern.compile(Pattern.quote(stem) + "\\d+\\.(ts|m4s)(\\.tmp)?");
            delete(playlist);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(playlist.getParent())) {
                for (Path f : files) {
                    if (segment.matcher(f.getFileName().toString()).matches()) {
                        delete(f);
                    }
                }
            } catch (IOException e) {
                log.warn("could not list {}: {}", playlist.getParent(), e.getMessage());
            }
        }
    }

    /** A folder: every frame as frame_NNNNNN.png. */
    static final class PngKind implements OutputKind {
        @Override
        public String name() {
            return "png";
        }

        @Override
        public String muxer(String location) {
            return null;
        }


        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            return onView(t, ctx, view -> new LocalOutput(t, ctx.registry(), view,
                    new PngSequenceWriter(Path.of(t.location()), view.width(), view.height()), null));
        }
    }

    /** {@code display:}: a preview window. */
    static final class DisplayKind implements OutputKind {
        @Override
        public String name() {
            return "display";
        }

        @Override
        public String muxer(String location) {
            return null;
        }

        @Override
        public void check(OutputTarget t) {
            if (GraphicsEnvironment.isHeadless()) {
                throw new IvfuseException(PreviewWindow.NO_DISPLAY);
            }
        }

        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            return onView(t, ctx, view -> new LocalOutput(t, ctx.registry(), view, new PreviewWindow(view.width(), view.height()), null));
        }
    }

    /** A network stream: {@link NetworkOutput} with this muxer and these default options. */
    static final class StreamKind implements OutputKind {
        private final String name;
        private final String muxer;
        private final List<String> protocols;
        private final Map<String, String> defaults;

        StreamKind(String name, String muxer, List<String> protocols, Map<String, String> defaults) {
            this.name = name;
            this.muxer = muxer;
            this.protocols = protocols;
            this.defaults = defaults;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean network() {
            return true;
        }

        @Override
        public String muxer(String location) {
            return muxer;
        }

        @Override
        public List<String> protocols() {
            return protocols;
        }

        @Override
        public Map<String, String> defaultOptions(String location, Map<String, String> entryOptions) {
            Map<String, String> m = new LinkedHashMap<>(defaults);
            if ("srt".equals(name)) {
                if (listener(location, entryOptions) && query(location, "listen_timeout") == null) {
                    // Wait for a caller in 1 s slices: the output's thread stays responsive to close().
                    m.put("listen_timeout", "1000000");
                }
                if (query(location, "linger") == null) {
                    // Let the last packets out at the end (SRT's live mode drops them otherwise).
                    m.put("linger", "2");
                }
            }
            return m;
        }

        @Override
        public boolean listener(String location, Map<String, String> options) {
            if (!"srt".equals(name)) {
                return false;
            }
            String mode = options.containsKey("mode") ? options.get("mode") : query(location, "mode");
            return "listener".equalsIgnoreCase(mode) || "server".equalsIgnoreCase(mode);
        }

        @Override
        public Output open(OutputTarget t, OutputContext ctx) {
            return new NetworkOutput(t, ctx);
        }
    }

    /** A URL query parameter's value, or null. */
    static String query(String location, String key) {
        int q = location.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String kv : location.substring(q + 1).split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            if (k.equals(key)) {
                return eq < 0 ? "" : kv.substring(eq + 1);
            }
        }
        return null;
    }
}
