package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An RTSP camera: TCP interleaved by default ({@code transport: udp} to change), live. */
final class RtspInput implements InputKind {

    @Override
    public String name() {
        return "rtsp";
    }

    @Override
    public List<String> schemes() {
        return List.of("rtsp", "rtsps");
    }

    @Override
    public InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        String transport = spec.transport == null ? "tcp" : spec.transport;
        if (!transport.equals("tcp") && !transport.equals("udp")) {
            throw new IvfuseException(role + " input: key 'transport' must be tcp or udp, got '" + transport + "'");
        }
        Map<String, String> defaults = InputKinds.lowLatency(new LinkedHashMap<>());
        defaults.put("rtsp_transport", transport);
        // The SDP already describes the stream (H.264 parameter sets), so a short analysis is
        // enough: opening takes 0.16 s instead of 1.1 s, which is most of a reconnection's delay
        // (benchmarks/live.md). MPEG-TS streams keep the longer default: they may need a keyframe.
        defaults.put("analyzeduration", "100000");
        // FFmpeg 8: socket I/O timeout in microseconds (the old 'stimeout' is gone).
        defaults.put("timeout", Long.toString(live.timeoutMs * 1000));
        return new InputPlan(role, spec.uri, spec.format, InputKinds.merge(defaults, spec),
                spec.live == null || spec.live, name());
    }
}
