package io.ivfuse.source;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network streams other than RTSP: SRT, UDP and RTP (MPEG-TS), RTMP, HTTP(S) (progressive or HLS),
 * TCP. Each gets a read/write timeout, so an endpoint that accepts and then sends nothing fails
 * instead of hanging, and an input that listens for its sender (SRT {@code mode=listener}, RTMP,
 * TCP or HTTP {@code listen: 1}) waits for it that long at most. Live unless the config says
 * otherwise (an HTTP file download can say {@code live: false}).
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
        // connect through 'timeout'. UDP's 'timeout' (read mode) replaces rw_timeout: without it a
        // UDP read nobody sends to never returns. RTMP's 'timeout' means "listen", so it gets
        // rw_timeout only, unless it listens (below).
        defaults.put("rw_timeout", micros);
        if (!scheme.startsWith("rtmp")) {
            defaults.put("timeout", micros);
        }
        // Waiting for a sender to connect is bounded by the same timeout. An unbounded accept never
        // returns, and the abandoned attempt would keep the port, so that no retry or reconnection
        // could bind it again. Ignored by inputs that don't listen; units differ by protocol.
        switch (scheme) {
            case "srt" -> defaults.put("listen_timeout", micros);
            case "tcp", "http", "https" -> defaults.put("listen_timeout", Long.toString(live.timeoutMs));
            case "rtmp", "rtmps" -> {
                if (listens(spec)) {
                    defaults.put("timeout", Long.toString(Math.max(1, (live.timeoutMs + 999) / 1000))); // seconds
                }
            }
            default -> {
            }
        }
        if (scheme.equals("udp") || scheme.equals("rtp")) {
            // A burst the reader can't take at once drops packets rather than ending the input;
            // FFmpeg's own FIFO size (28,672 packets of 188 bytes, 5.4 MB) is kept.
            defaults.put("overrun_nonfatal", "1");
        }
        String format = spec.format != null ? spec.format : scheme.equals("udp") || scheme.equals("srt") ? "mpegts" : null;
        return new InputPlan(role, spec.uri, format, InputKinds.merge(defaults, spec), spec.live == null || spec.live, name());
    }

    /** An RTMP input that is itself the server ({@code listen: 1}), waiting for the camera to publish. */
    private static boolean listens(InputSpec spec) {
        for (String key : List.of("listen", "rtmp_listen")) {
            String value = spec.options.get(key);
            if (value != null && !value.equals("0")) {
                return true;
            }
        }
        return false;
    }
}
