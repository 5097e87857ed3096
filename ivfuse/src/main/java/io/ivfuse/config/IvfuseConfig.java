package io.ivfuse.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run can be configured with, as read from YAML (keys in snake_case; see
 * {@code configs/default.yaml} for the documented reference). Command-line flags override these
 * values. Fields are public and mutable because this is a plain data holder for Jackson;
 * {@link ConfigValidator} checks it once before a run starts.
 */
public final class IvfuseConfig {
    public Input input = new Input();
    public Sync sync = new Sync();
    public Registration registration = new Registration();
    public Fusion fusion = new Fusion();
    public Pipeline pipeline = new Pipeline();
    public Output output = new Output();
    /**
     * Where the fused stream goes, several at once: each a path or URI, or an {@link OutputEntry}.
     * {@code output.path}, {@code output.side_by_side} and {@code output.display} are entries of the
     * same list (before and after these); {@code output} holds the settings every entry inherits.
     */
    public List<OutputEntry> outputs = new ArrayList<>();
    public Metrics metrics = new Metrics();
    /**
     * The archive job's own section (ivfuse-spark: segment_seconds, ...), so that one file serves
     * both; {@code ivfuse run} ignores it, the archive job checks it.
     */
    public Map<String, Object> batch;

    public static final class Input {
        /** Infrared input: a string (file, folder, pattern, device, URL) or an {@link InputSpec} object. */
        public InputSpec ir;
        /** Visible input, as {@link #ir}. */
        public InputSpec vis;
        /** {@code fusion.mode: mef}: the under-exposed (darker) input, as {@link #ir}; registered and paired as the visible one. */
        public InputSpec under;
        /** {@code fusion.mode: mef}: the over-exposed input, as {@link #ir}; registered and paired as the IR one. */
        public InputSpec over;
        /** {@code fusion.mode: mef}: one stream alternating exposures, instead of {@link #under} and {@link #over}. */
        public InputSpec bracketed;
        /** Added to IR timestamps to line them up with visible ones (ms; may be negative). */
        public double irOffsetMs;
        /**
         * Recorded files only: fuse the visible frames from this time on (seconds, on the visible
         * stream's own clock, the timestamps ivfuse reports; null = from the start). Both inputs seek
         * there less {@link #prerollSeconds}, so pairing at the start is what a whole run pairs.
         */
        public Double startSeconds;
        /** Recorded files only: fuse the visible frames before this time (seconds, as {@link #startSeconds}; null = to the end). */
        public Double endSeconds;
        /** How far before {@link #startSeconds} both inputs start reading (seconds): frames paired there are not output. */
        public double prerollSeconds = 2;
        /** Damaged input (decode errors, concealed or missing frames, a file that ends early) fails the run (exit 2) after the outputs are finished. */
        public boolean strict;
        /** FFmpeg decoder threads per input (0 = the thread plan's choice, job.ThreadPlan). */
        public int decoderThreads;
        public Gray16 gray16 = new Gray16();
        /** How live inputs (cameras) are read, reconnected and timed out. */
        public Live live = new Live();
    }

    /** Fault handling of live inputs; files ignore it. */
    public static final class Live {
        /** Connect and read timeout of every network input (ms). */
        public long timeoutMs = 5000;
        /** An input that delivers no frame for this long is abandoned and reopened (ms). */
        public long stallTimeoutMs = 5000;
        /** First delay before reopening a lost input (ms); doubles on each failure. */
        public long reconnectInitialMs = 500;
        /** Longest delay between two reconnection attempts (ms). */
        public long reconnectMaxMs = 30_000;
        /** Reconnections tried in a row before the input is given up (-1 = forever). */
        public int maxReconnects = -1;
        /** How long an input may take to come up at start before the run fails (ms; 0 = one attempt). */
        public long startTimeoutMs = 0;
        /** Decoded frames that may wait per live input; the oldest are dropped beyond this. */
        public int queueSize = 4;
    }

    /** Automatic gain for 16-bit thermal input: clip to percentiles, then stretch to 0..255. */
    public static final class Gray16 {
        public double lowPercentile = 1.0;
        public double highPercentile = 99.0;
        /** Weight of the previous frame's range (0 = none): damps flicker of the gain. */
        public double smoothing = 0.9;
    }

    public static final class Sync {
        /** Max |IR - visible| timestamp difference for a pair; null = half the faster stream's frame interval. */
        public Double toleranceMs;
        /** How long the last IR frame may be held when none is within tolerance; null = 1.5 slower-stream intervals. */
        public Double maxStaleMs;
        /** Stop at the end of the shorter stream, or keep the visible stream going on the held IR frame. */
        public EndPolicy end = EndPolicy.SHORTEST;
        /** Live: what to do while the visible camera is down. */
        public VisibleDown visibleDown = VisibleDown.PAUSE;
    }

    public enum VisibleDown {
        /** No output until the visible camera is back. */
        @JsonProperty("pause") PAUSE,
        /** Output the registered IR frames alone (neutral chroma). */
        @JsonProperty("ir-only") IR_ONLY
    }

    public enum EndPolicy {
        @JsonProperty("shortest") SHORTEST,
        @JsonProperty("longest") LONGEST
    }

    public static final class Registration {
        /** OpenCV FileStorage YAML with an IR-to-visible homography (H) or affine (A); null = identity. */
        public String calibration;
        /** Drift watch on sampled frames ({@code registration.AlignmentWatch}). */
        public Check check = new Check();
    }

    /** {@code registration.check}: score the alignment every {@link #every}-th fused frame and warn once on a drift. */
    public static final class Check {
        public boolean enabled;
        public int every = 30;
        /** Warn when the score falls below (1 - max_drop) times the score at start... */
        public double maxDrop = 0.4;
        /** ...or below this absolute score (0 = only the relative test). */
        public double minScore;
        /** ...for this many samples in a row. */
        public int sustain = 3;
    }

    public static final class Fusion {
        /** What the inputs are: ir-vis (infrared + visible) or mef (exposures of one scene); {@code io.ivfuse.fusion.FusionMode}. */
        public String mode = "ir-vis";
        public String engine = "auto";
        public String model;
        /** Fusion handler threads on the ring, frames still leaving in order (0 = the thread plan's choice). */
        public int threads;
        /** Threads one engine session may use inside a frame (0 = the thread plan's choice). */
        public int intraOpThreads;
        public Map<String, String> params = new LinkedHashMap<>();
        /** Fuse at most this many frames a second (0 = every frame); the others are {@link #skipped}. */
        public double maxFps;
        /** What a frame skipped by {@link #maxFps} shows. */
        public Skipped skipped = Skipped.PASS;
        /** Exposure video ({@code mode: mef}, {@code run}): ghost suppression and weight smoothing. */
        public Mef mef = new Mef();
    }

    /** {@code fusion.mef}: see {@code io.ivfuse.fusion.video.MefVideoOptions}. */
    public static final class Mef {
        /** Suppress ghosts of moving objects. */
        public boolean deghost = true;
        /** Gray levels of disagreement, after intensity mapping, that count as motion. */
        public int deghostThreshold = 24;
        /** Two exposure cameras: under or over, the exposure moving regions are taken from (bracketed: the latest frame). */
        public String deghostReference = "under";
        /** Share of the previous weight map kept each frame, in [0, 1) (0 = off). */
        public double weightSmoothing = 0.5;
    }

    public enum Skipped {
        /** The visible frame, unfused. */
        @JsonProperty("pass") PASS,
        /** The last fused frame again. */
        @JsonProperty("hold") HOLD
    }

    public static final class Pipeline {
        /** Ring slots; a power of two. */
        public int ringSize = 8;
        /** null = drop-oldest when an input is live, block for files. */
        public Backpressure backpressure;
        /** Stop after this many output frames (0 = all). */
        public long maxFrames;
        /** Cores the thread plan shares out (0 = all this process may use). */
        public int cores;
    }

    public enum Backpressure {
        /** Files: the decoder waits for a free slot; nothing is dropped. */
        @JsonProperty("block") BLOCK,
        /** Live sources: when the ring is full the stalest waiting pair is dropped and counted. */
        @JsonProperty("drop-oldest") DROP_OLDEST
    }

    public static final class Output {
        /** The first output (any path or URI an {@code outputs} entry takes, e.g. out.mp4, frames/, udp://...). */
        public String path;
        /** auto (best available H.264, MPEG-4 part 2 last), or an FFmpeg encoder name. */
        public String codec = "auto";
        /** Target bitrate in kbit/s for bitrate-driven encoders; 0 = encoder default quality. */
        public int bitrateKbps = 4000;
        /** Encoder speed preset for libx264 / NVENC (e.g. ultrafast, veryfast, p4); null = encoder default. */
        public String preset;
        /** FFmpeg threads of each software encoder; libopenh264 also cuts as many slices (0 = the thread plan's choice). */
        public int encoderThreads;
        /** One more output, showing IR | visible | fused side by side (an entry with view: side-by-side). */
        public String sideBySide;
        /** Show a preview window (a display: entry). */
        public boolean display;
        /**
         * Crash-safe files: MP4/MOV as fragments and Matroska as clusters of at most one GOP, each
         * handed to the OS when complete, so a killed run or a full disk loses at most the last GOP.
         */
        public boolean fragmented = true;
        /** Overwrite existing output files and the metrics JSON (-y); otherwise an existing one is an error. */
        public boolean overwrite;
        /** Keyframe interval in seconds (GOP = round(fps x this)); no B-frames either way. */
        public double gopSeconds = 1.0;
        /** Encoder options passed to FFmpeg as they are (e.g. {tune: film} for libx264), for every output. */
        public Map<String, String> options = new LinkedHashMap<>();
    }

    /**
     * One output: a string (its {@code uri}) or an object. Unset settings come from {@link Output}.
     * The kind (file, segmented recording, HLS, PNG folder, udp/rtp/srt/rtsp/rtmp stream, preview
     * window) follows from the URI's scheme or the path's extension.
     */
    public static final class OutputEntry {
        /** Short name for metrics, logs and the summary (letters, digits, '_', '-', '.'); default o0, o1... by position. */
        public String id;
        /** File, folder (ending in '/'), {@code .m3u8} playlist, {@code udp://}, {@code rtp://}, {@code srt://}, {@code rtsp://}, {@code rtmp://} or {@code display:}. */
        public String uri;
        /** FFmpeg muxer to use instead of the one the URI implies (e.g. mpegts for a .bin file). */
        public String format;
        /** fused, or side-by-side (IR | visible | fused). */
        public View view = View.FUSED;
        /** Muxer and protocol options passed to FFmpeg (e.g. {hls_time: 4}, {latency: 50000}). */
        public Map<String, String> options = new LinkedHashMap<>();
        /** Encoder options for this output, over {@code output.options}. */
        public Map<String, String> encoderOptions = new LinkedHashMap<>();
        /** Segmented recording: start a new file every this many seconds (0 = one file). Files and folders only. */
        public double segmentSeconds;
        /** Network outputs: frames buffered for the sending thread; a frame finding them all taken is dropped. */
        public Integer queueSize;
        public String codec;
        public Integer bitrateKbps;
        public String preset;
        public Double gopSeconds;
        public Boolean fragmented;
        /** Where the entry came from, for messages (a config key or a flag); not a YAML key. */
        @JsonIgnore
        public String origin;

        public OutputEntry() {
        }

        /** The string form of an entry: just its URI. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static OutputEntry of(String uri) {
            OutputEntry e = new OutputEntry();
            e.uri = uri;
            return e;
        }
    }

    public enum View {
        @JsonProperty("fused") FUSED,
        @JsonProperty("side-by-side") SIDE_BY_SIDE
    }

    public static final class Metrics {
        /** Console report period in seconds (0 = off). */
        public int consolePeriodS;
        /** Directory for Dropwizard CSV reports (null = off). */
        public String csvDir;
        public int csvPeriodS = 1;
        public boolean jmx;
        /** Summary JSON file (null = none). */
        public String json;
        /** Measure the fused stream's temporal stability (added flicker) during the run; costs ~0.4 ms a 640x480 frame. */
        public boolean temporalStability;
        /** Progress bar on stderr: auto (when a console is attached), on, off. */
        public String progress = "auto";
    }
}
