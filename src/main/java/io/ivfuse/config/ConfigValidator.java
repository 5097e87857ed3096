package io.ivfuse.config;

import io.ivfuse.IvfuseException;

/** Checks a merged configuration before a run; each error names the key and the reason. */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    public static void validate(IvfuseConfig c) {
        require(c.input.ir != null && c.input.ir.uri != null && !c.input.ir.uri.isBlank(), "input.ir",
                "is required (an IR video file, folder of frames, device or URL)");
        require(c.input.vis != null && c.input.vis.uri != null && !c.input.vis.uri.isBlank(), "input.vis",
                "is required (a visible video file, folder of frames, device or URL)");
        IvfuseConfig.Live live = c.input.live;
        require(live.timeoutMs >= 100, "input.live.timeout_ms", "must be >= 100");
        require(live.stallTimeoutMs >= 100, "input.live.stall_timeout_ms", "must be >= 100");
        require(live.reconnectInitialMs >= 1 && live.reconnectMaxMs >= live.reconnectInitialMs,
                "input.live.reconnect_initial_ms/reconnect_max_ms", "need 1 <= initial <= max");
        require(live.maxReconnects >= -1, "input.live.max_reconnects", "must be -1 (forever) or >= 0");
        require(live.startTimeoutMs >= 0, "input.live.start_timeout_ms", "must be >= 0");
        require(live.queueSize >= 1 && live.queueSize <= 64, "input.live.queue_size", "must be 1..64");
        require(c.fusion.maxFps >= 0, "fusion.max_fps", "must be >= 0 (0 = fuse every frame)");
        require(c.fusion.skipped != null, "fusion.skipped", "must be pass or hold");
        require(c.sync.visibleDown != null, "sync.visible_down", "must be pause or ir-only");
        require(c.output.path != null && !c.output.path.isBlank(), "output.path", "is required");
        IvfuseConfig.Gray16 g = c.input.gray16;
        require(g.lowPercentile >= 0 && g.lowPercentile < g.highPercentile && g.highPercentile <= 100,
                "input.gray16.low_percentile/high_percentile", "need 0 <= low < high <= 100");
        require(g.smoothing >= 0 && g.smoothing < 1, "input.gray16.smoothing", "must be in [0, 1)");
        require(c.sync.toleranceMs == null || c.sync.toleranceMs > 0, "sync.tolerance_ms", "must be > 0");
        require(c.sync.maxStaleMs == null || c.sync.maxStaleMs >= 0, "sync.max_stale_ms", "must be >= 0");
        require(c.sync.end != null, "sync.end", "must be shortest or longest");
        require(c.fusion.engine != null && !c.fusion.engine.isBlank(), "fusion.engine", "is required");
        require(c.fusion.threads >= 1 && c.fusion.threads <= 64, "fusion.threads", "must be 1..64");
        require(c.fusion.intraOpThreads >= 0, "fusion.intra_op_threads", "must be >= 0");
        int ring = c.pipeline.ringSize;
        require(ring >= 2 && Integer.bitCount(ring) == 1, "pipeline.ring_size", "must be a power of two >= 2, got " + ring);
        require(c.pipeline.maxFrames >= 0, "pipeline.max_frames", "must be >= 0");
        require(c.output.bitrateKbps >= 0, "output.bitrate_kbps", "must be >= 0");
        require(c.metrics.consolePeriodS >= 0, "metrics.console_period_s", "must be >= 0");
        require(c.metrics.csvPeriodS >= 1, "metrics.csv_period_s", "must be >= 1");
        String p = c.metrics.progress;
        require("auto".equals(p) || "on".equals(p) || "off".equals(p), "metrics.progress", "must be auto, on or off");
    }

    private static void require(boolean ok, String key, String reason) {
        if (!ok) {
            throw new IvfuseException("config key '" + key + "' " + reason);
        }
    }
}
