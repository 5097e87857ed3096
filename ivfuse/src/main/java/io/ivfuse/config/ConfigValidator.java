package io.ivfuse.config;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.pipeline.RingMemory;
import io.ivfuse.sink.OutputPaths;
import io.ivfuse.sink.OutputSet;
import java.util.regex.Pattern;

/** Checks a merged configuration before a run; each error names the key and the reason. */
public final class ConfigValidator {
    /** Output ids name metrics and threads: short and plain. */
    private static final Pattern OUTPUT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    private ConfigValidator() {
    }

    public static void validate(IvfuseConfig c) {
        if (InputRoles.of(c).mode() == FusionMode.IR_VIS) {
            require(c.input.ir != null && c.input.ir.uri != null && !c.input.ir.uri.isBlank(), "input.ir",
                    "is required (an IR video file, folder of frames, device or URL)");
            require(c.input.vis != null && c.input.vis.uri != null && !c.input.vis.uri.isBlank(), "input.vis",
                    "is required (a visible video file, folder of frames, device or URL)");
        }
        IvfuseConfig.Live live = c.input.live;
        require(live.timeoutMs >= 100, "input.live.timeout_ms", "must be >= 100");
        require(live.stallTimeoutMs >= 100, "input.live.stall_timeout_ms", "must be >= 100");
        require(live.reconnectInitialMs >= 1 && live.reconnectMaxMs >= live.reconnectInitialMs,
                "input.live.reconnect_initial_ms/reconnect_max_ms", "need 1 <= initial <= max");
        require(live.maxReconnects >= -1, "input.live.max_reconnects", "must be -1 (forever) or >= 0");
        require(live.startTimeoutMs >= 0, "input.live.start_timeout_ms", "must be >= 0");
        require(live.queueSize >= 1 && live.queueSize <= 64, "input.live.queue_size", "must be 1..64");
        require(c.input.startSeconds == null || c.input.startSeconds >= 0, "input.start_seconds", "must be >= 0");
        require(c.input.endSeconds == null || c.input.endSeconds > (c.input.startSeconds == null ? 0 : c.input.startSeconds),
                "input.end_seconds", "must be after input.start_seconds");
        require(c.input.prerollSeconds >= 0, "input.preroll_seconds", "must be >= 0");
        require(c.fusion.maxFps >= 0, "fusion.max_fps", "must be >= 0 (0 = fuse every frame)");
        require(c.fusion.skipped != null, "fusion.skipped", "must be pass or hold");
        validateMef(c.fusion.mef);
        require(c.sync.visibleDown != null, "sync.visible_down", "must be pause or ir-only");
        IvfuseConfig.Gray16 g = c.input.gray16;
        require(g.lowPercentile >= 0 && g.lowPercentile < g.highPercentile && g.highPercentile <= 100,
                "input.gray16.low_percentile/high_percentile", "need 0 <= low < high <= 100");
        require(g.smoothing >= 0 && g.smoothing < 1, "input.gray16.smoothing", "must be in [0, 1)");
        require(c.sync.toleranceMs == null || c.sync.toleranceMs > 0, "sync.tolerance_ms", "must be > 0");
        require(c.sync.maxStaleMs == null || c.sync.maxStaleMs >= 0, "sync.max_stale_ms", "must be >= 0");
        require(c.sync.end != null, "sync.end", "must be shortest or longest");
        require(c.fusion.engine != null && !c.fusion.engine.isBlank(), "fusion.engine", "is required");
        threadCount(c.fusion.threads, "fusion.threads");
        threadCount(c.fusion.intraOpThreads, "fusion.intra_op_threads");
        threadCount(c.input.decoderThreads, "input.decoder_threads");
        threadCount(c.output.encoderThreads, "output.encoder_threads");
        threadCount(c.pipeline.cores, "pipeline.cores");
        int ring = c.pipeline.ringSize;
        require(ring >= 2 && ring <= RingMemory.MAX_SLOTS && Integer.bitCount(ring) == 1, "pipeline.ring_size",
                "must be a power of two from 2 to " + RingMemory.MAX_SLOTS + ", got " + ring);
        require(c.pipeline.maxFrames >= 0, "pipeline.max_frames", "must be >= 0");
        validateOutputs(c);
        IvfuseConfig.Check check = c.registration.check;
        require(check != null, "registration.check", "must be a map");
        require(check.every >= 1, "registration.check.every", "must be >= 1, got " + check.every);
        require(check.maxDrop > 0 && check.maxDrop < 1, "registration.check.max_drop", "must be between 0 and 1 (exclusive), got "
                + check.maxDrop);
        require(check.minScore >= 0 && check.minScore < 1, "registration.check.min_score", "must be in [0, 1), got " + check.minScore);
        require(check.sustain >= 1, "registration.check.sustain", "must be >= 1, got " + check.sustain);
        require(c.metrics.consolePeriodS >= 0, "metrics.console_period_s", "must be >= 0");
        require(c.metrics.csvPeriodS >= 1, "metrics.csv_period_s", "must be >= 1");
        String p = c.metrics.progress;
        require("auto".equals(p) || "on".equals(p) || "off".equals(p), "metrics.progress", "must be auto, on or off");
    }

    private static void validateOutputs(IvfuseConfig c) {
        IvfuseConfig.Output o = c.output;
        require(o.bitrateKbps >= 0, "output.bitrate_kbps", "must be >= 0");
        require(o.gopSeconds > 0 && o.gopSeconds <= 60, "output.gop_seconds", "must be in (0, 60]");
        require(o.codec != null && !o.codec.isBlank(), "output.codec", "is required (auto or an FFmpeg encoder name)");
        require(c.outputs != null, "outputs", "must be a list");
        for (int i = 0; i < c.outputs.size(); i++) {
            IvfuseConfig.OutputEntry e = c.outputs.get(i);
            String key = "outputs[" + i + "]";
            require(e != null && e.uri != null && !e.uri.isBlank(), key + ".uri", "is required (a path or URI)");
            require(e.id == null || OUTPUT_ID.matcher(e.id).matches(), key + ".id",
                    "must be 1-40 letters, digits, '_', '-' or '.' (it names metrics and threads), got '" + e.id + "'");
            require(e.view != null, key + ".view", "must be fused or side-by-side");
            require(e.segmentSeconds >= 0 && Double.isFinite(e.segmentSeconds), key + ".segment_seconds", "must be >= 0");
            require(e.queueSize == null || (e.queueSize >= 1 && e.queueSize <= 1024), key + ".queue_size", "must be 1..1024");
            require(e.bitrateKbps == null || e.bitrateKbps >= 0, key + ".bitrate_kbps", "must be >= 0");
            require(e.gopSeconds == null || (e.gopSeconds > 0 && e.gopSeconds <= 60), key + ".gop_seconds", "must be in (0, 60]");
            require(e.codec == null || !e.codec.isBlank(), key + ".codec", "must not be empty");
            require(e.options != null && e.encoderOptions != null, key + ".options", "must be a map");
        }
        require(!OutputSet.entries(c).isEmpty(), "outputs",
                "needs at least one output: -o FILE|URL, output.path or an outputs: list");
        // Kinds, formats and options of every output, then its path (never an input, never
        // overwritten without -y, in a writable folder), each error naming the output.
        OutputPaths.check(c, OutputSet.plan(c));
    }

    private static void validateMef(IvfuseConfig.Mef m) {
        require(m != null, "fusion.mef", "must be a map");
        require(m.deghostThreshold >= 1 && m.deghostThreshold <= 255, "fusion.mef.deghost_threshold",
                "must be 1..255 gray levels, got " + m.deghostThreshold);
        require("under".equals(m.deghostReference) || "over".equals(m.deghostReference), "fusion.mef.deghost_reference",
                "must be under or over, got '" + m.deghostReference + "'");
        require(m.weightSmoothing >= 0 && m.weightSmoothing < 1, "fusion.mef.weight_smoothing",
                "must be in [0, 1) (0 = off), got " + m.weightSmoothing);
    }

    /** A thread or core count: 0 leaves it to the thread plan. */
    private static void threadCount(int n, String key) {
        require(n >= 0 && n <= 256, key, "must be 0 (the thread plan's choice) to 256, got " + n);
    }

    private static void require(boolean ok, String key, String reason) {
        if (!ok) {
            throw new IvfuseException("config key '" + key + "' " + reason);
        }
    }
}
