package io.ivfuse.source;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network streams other than RTSP: SRT, UDP and RTP (MPEG-TS), RTMP, HTTP(S) (progressive or HLS).
 * Each gets a read/write timeout, so an endpoint that accepts and then sends nothing fails instead
 * of hanging. Live unless the config says otherwise (an HTTP file download can say {@code live: false}).
 */
final class StreamInput implements InputKind {

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public List<String> schemes() {
        return List.of("srt", "udp", "rtp", "rtmp", "rtmps", "http", "https", "tcp");
    }

    @Override
    public InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        String scheme = InputKinds.scheme(spec.uri);
        String micros = Long.toString(live.timeoutMs * 1000);
        Map<String, String> defaults = InputKinds.lowLatency(new LinkedHashMap<>());
        // rw_timeout (microseconds) bounds every protocol read; most protocols also bound the
        // connect through 'timeout'. RTMP's 'timeout' means "listen", so it gets rw_timeout only.
        defaults.put("rw_timeout", micros);
        if (!scheme.startsWith("rtmp")) {
            defaults.put("timeout", micros);
        }
        if (scheme.equals("udp") || scheme.equals("rtp")) {
            defaults.put("overrun_nonfatal", "1");
            defaults.put("fifo_size", "1000000");
        }
        String format = spec.format != null ? spec.format : scheme.equals("udp") || scheme.equals("srt") ? "mpegts" : null;
        return new InputPlan(role, spec.uri, format, InputKinds.merge(defaults, spec), spec.live == null || spec.live, name());
    }
}
