package io.ivfuse.job;

import io.ivfuse.config.IvfuseConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many threads each stage of a run gets, chosen together from the core count and the engine
 * so that no stage starves another (benchmarks/README.md, "Thread plan"):
 * <ul>
 * <li>a <b>heavy</b> engine (a learned network: tens of ms of CPU a frame, most of the frame's
 * cost) gets every core as a separate fusion thread with a single-threaded session: whole frames
 * in parallel scale almost perfectly, where one session's intra-op threads wait on each other at
 * every layer. Beyond 8 cores the sessions get 2+ intra-op threads each instead, which bounds
 * memory (one session's activations per fusion thread) and latency. The encoder and the decoders,
 * a small share of the frame, get one thread each per 8 cores;</li>
 * <li>a <b>light</b> engine (classical rules: well under a millisecond) runs on one fusion thread,
 * and the encoder, now the costliest stage, gets every core (x264's frame threads; not
 * libopenh264's slice threads, measured slower).</li>
 * </ul>
 * Decoders get one thread per 8 cores (at most 4): at the frame sizes of fusion cameras decoding
 * is a small share, and FFmpeg's frame threads add a frame of delay each. Every count the config
 * sets (non-zero) is taken as it is.
 *
 * @param cores          cores planned for: {@code pipeline.cores}, else what the JVM may use (taskset, cgroups)
 * @param heavyEngine    whether the engine's fusion dominates a frame's cost
 * @param decoderThreads FFmpeg decoder threads per input
 * @param fusionThreads  fusion handler threads on the ring, one engine session each
 * @param intraOpThreads threads one engine session uses inside a frame
 * @param encoderThreads FFmpeg encoder threads per software encoder; libopenh264, whose slice threads cost more
 *                       than they bring on 2 cores, keeps 1 unless the config sets this (sink.VideoEncoder#tuning)
 * @param overridden     the keys of the counts the config set rather than the plan
 */
public record ThreadPlan(int cores, boolean heavyEngine, int decoderThreads, int fusionThreads, int intraOpThreads,
                         int encoderThreads, Set<String> overridden) {
    /** Fusion threads beyond which a heavy engine's sessions get more intra-op threads instead. */
    static final int MAX_HEAVY_FUSION_THREADS = 8;

    /** The plan for {@code config} with an engine that is heavy or not. */
    public static ThreadPlan of(IvfuseConfig config, boolean heavyEngine) {
        int cores = config.pipeline.cores > 0 ? config.pipeline.cores : Runtime.getRuntime().availableProcessors();
        int minor = Math.max(1, cores / 8);
        int decoder = Math.min(4, minor);
        int fusion = heavyEngine ? Math.min(cores, MAX_HEAVY_FUSION_THREADS) : 1;
        int intraOp = heavyEngine ? Math.max(1, cores / fusion) : 1;
        int encoder = heavyEngine ? minor : cores;
        Set<String> set = new LinkedHashSet<>();
        return new ThreadPlan(cores, heavyEngine,
                pick(config.input.decoderThreads, decoder, "input.decoder_threads", set),
                pick(config.fusion.threads, fusion, "fusion.threads", set),
                pick(config.fusion.intraOpThreads, intraOp, "fusion.intra_op_threads", set),
                pick(config.output.encoderThreads, encoder, "output.encoder_threads", set),
                Collections.unmodifiableSet(set));
    }

    private static int pick(int configured, int planned, String key, Set<String> overridden) {
        if (configured > 0) {
            overridden.add(key);
            return configured;
        }
        return planned;
    }

    /** The plan as the run summary and its JSON show it. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores);
        m.put("engine_weight", heavyEngine ? "heavy" : "light");
        m.put("decoder_per_input", decoderThreads);
        m.put("fusion", fusionThreads);
        m.put("intra_op_per_session", intraOpThreads);
        m.put("encoder", encoderThreads);
        if (!overridden.isEmpty()) {
            m.put("set_by_config", String.join(",", overridden));
        }
        return m;
    }

    /** One line for the console, e.g. "2 cores, heavy engine: decode 1 per input, fuse 2 x 1, encode 1". */
    public String line() {
        return String.format("%d cores, %s engine: decode %d per input, fuse %d x %d (threads x intra-op), encode %d%s%s",
                cores, heavyEngine ? "heavy" : "light", decoderThreads, fusionThreads, intraOpThreads, encoderThreads,
                overridden.contains("output.encoder_threads") ? "" : " (libopenh264 1)",
                overridden.isEmpty() ? "" : " (set: " + String.join(", ", overridden) + ")");
    }
}
