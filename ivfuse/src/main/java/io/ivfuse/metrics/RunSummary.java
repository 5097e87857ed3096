package io.ivfuse.metrics;

import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.ivfuse.util.JsonFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a run did, for the end-of-run summary and {@code --metrics-json}. */
public final class RunSummary {
    public String engine;
    public String encoder;
    public String output;
    public long framesInIr;
    public long framesInVisible;
    public long framesOut;
    public long paired;
    public long held;
    public long droppedUnpaired;
    public long droppedBackpressure;
    /** Live frames passed through unfused (no IR frame), IR-only frames, frames skipped for max_fps. */
    public long visibleOnly;
    public long irOnly;
    public long skipped;
    /** Why the run ended early: a live input lost for good (the exit code is then 3); null otherwise. */
    public String inputLost;
    /** The error that ended the run (an output that could not be written, exit 2); null otherwise. */
    public String error;
    /**
     * True when an input was damaged (decode errors, concealed or missing frames, a recording that
     * ended early); each input's {@code damage} says how.
     */
    public boolean damaged;
    /** Per input ({@code ir}, {@code vis}): online, frames, reconnects, stalls, queue drops, last frame age, damage. */
    public Map<String, Map<String, Object>> inputs = new LinkedHashMap<>();
    /**
     * From the first frame into the ring to the last one out; {@link #fps} is frames over it. The
     * stages' opening (engine sessions loaded and warmed up on their threads) comes before, in
     * {@link #openSeconds}.
     */
    public double seconds;
    public double fps;
    public double openSeconds;
    public double skewP50Ms;
    public double skewP99Ms;
    public boolean interrupted;
    /** Per stage: p50/p99/mean in milliseconds and the sample count. */
    public Map<String, Map<String, Double>> stagesMs = new LinkedHashMap<>();
    /** The thread plan the run used (job.ThreadPlan#describe). */
    public Map<String, Object> threads = new LinkedHashMap<>();
    /** The stage that limits the frame rate: the highest mean time a frame over the threads that share the stage. */
    public String slowestStage;
    @JsonIgnore
    private String threadsLine;
    /** Quality figures computed during the run (e.g. temporal stability), when asked for. */
    public Map<String, Double> quality = new LinkedHashMap<>();
    /** The drift watch's figures (registration.AlignmentWatch#summary), when --check-registration; null otherwise. */
    public Map<String, Object> registration;
    /** Every output by its id (o0, o1... or the entry's own). */
    public Map<String, OutputStats> outputs = new LinkedHashMap<>();

    /** One output's figures: where (credentials redacted), what, and how many frames it wrote, dropped and reconnected. */
    public static final class OutputStats {
        public String uri;
        public String kind;
        public String encoder;
        public long frames;
        public long dropped;
        public long reconnects;
    }

    public static RunSummary from(PipelineMetrics m, double seconds) {
        RunSummary s = new RunSummary();
        s.framesInIr = m.ir.frames.getCount();
        s.framesInVisible = m.vis.frames.getCount();
        s.visibleOnly = m.visibleOnly.getCount();
        s.irOnly = m.irOnly.getCount();
        s.skipped = m.skipped.getCount();
        s.inputs.put("ir", m.ir.summary());
        s.inputs.put("vis", m.vis.summary());
        s.damaged = m.ir.damage() != null || m.vis.damage() != null;
        s.framesOut = m.framesOut.getCount();
        s.held = m.held.getCount();
        s.droppedUnpaired = m.droppedUnpaired.getCount();
        s.droppedBackpressure = m.droppedBackpressure.getCount();
        s.seconds = seconds;
        s.fps = seconds > 0 ? s.framesOut / seconds : 0;
        Snapshot skew = m.skew.getSnapshot();
        s.skewP50Ms = skew.getMedian() / 1000.0;
        s.skewP99Ms = skew.get99thPercentile() / 1000.0;
        for (Map.Entry<String, Timer> e : m.stages().entrySet()) {
            Snapshot snap = e.getValue().getSnapshot();
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("p50", snap.getMedian() / 1e6);
            v.put("p99", snap.get99thPercentile() / 1e6);
            v.put("mean", snap.getMean() / 1e6);
            v.put("count", (double) e.getValue().getCount());
            s.stagesMs.put(e.getKey(), v);
        }
        return s;
    }

    /**
     * Records the thread plan and names the slowest stage: each stage's mean time a frame over the
     * threads that run it (fusion: {@code fusionThreads}; the others one each). The end-to-end
     * latency is not a stage.
     */
    public void threadPlan(Map<String, Object> plan, String line, int fusionThreads) {
        threads = plan;
        threadsLine = line;
        double worst = -1;
        for (Map.Entry<String, Map<String, Double>> e : stagesMs.entrySet()) {
            Double mean = e.getValue().get("mean");
            if (e.getKey().equals("latency") || mean == null || e.getValue().getOrDefault("count", 0.0) == 0) {
                continue;
            }
            double perFrame = e.getKey().equals("fuse") ? mean / fusionThreads : mean;
            if (perFrame > worst) {
                worst = perFrame;
                slowestStage = e.getKey();
            }
        }
    }

    public void print(PrintWriter out) {
        out.printf("frames: in IR %d, in visible %d, out %d (paired %d, held %d, dropped unpaired %d, dropped by backpressure %d)%n",
                framesInIr, framesInVisible, framesOut, paired, held, droppedUnpaired, droppedBackpressure);
        if (visibleOnly + irOnly + skipped > 0) {
            out.printf("        visible only %d, IR only %d, skipped for max_fps %d%n", visibleOnly, irOnly, skipped);
        }
        inputs.forEach((role, v) -> {
            if (((Number) v.get("reconnects")).longValue() + ((Number) v.get("stalls")).longValue()
                    + ((Number) v.get("queue_dropped")).longValue() > 0) {
                out.printf("input %s: reconnects %s, stalls %s, dropped by its queue %s%n", role, v.get("reconnects"),
                        v.get("stalls"), v.get("queue_dropped"));
            }
        });
        inputs.forEach((role, v) -> {
            if (v.get("damage") != null) {
                out.printf("input %s: damaged: %s%n", role, v.get("damage"));
            }
        });
        if (inputLost != null) {
            out.println("ended: " + inputLost);
        }
        out.printf("speed:  %.1f frames/s over %.2f s (after %.2f s opening the stages); pairing skew p50 %.2f ms, p99 %.2f ms%s%n",
                fps, seconds, openSeconds, skewP50Ms, skewP99Ms, interrupted ? " (interrupted)" : "");
        StringBuilder sb = new StringBuilder("stages (p50/p99 ms):");
        stagesMs.forEach((k, v) -> sb.append(String.format(" %s %.2f/%.2f", k, v.get("p50"), v.get("p99"))));
        out.println(sb);
        if (threadsLine != null) {
            out.printf("threads: %s; slowest stage: %s%s%n", threadsLine, slowestStage, "encode".equals(slowestStage)
                    ? " (the encoder limits the rate: output.encoder_threads, a faster preset or a hardware encoder would help)" : "");
        }
        quality.forEach((k, v) -> out.printf("quality: %s %.4f%n", k, v));
        if (registration != null) {
            out.printf("registration: alignment %s at start, %s last, %s lowest over %s samples (every %sth fused frame)%s%n",
                    score(registration.get("alignment_start")), score(registration.get("alignment_last")),
                    score(registration.get("alignment_min")), registration.get("samples"), registration.get("every"),
                    registration.get("drift_warning") == null ? "; no drift" : "; DRIFT: " + registration.get("drift_warning"));
        }
        outputs.forEach((id, o) -> out.printf("output %s: %s (%s, %s) %d frames, %d dropped, %d reconnects%n",
                id, o.uri, o.kind, o.encoder, o.frames, o.dropped, o.reconnects));
        out.flush();
    }

    private static String score(Object v) {
        return v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.3f", d) : "-";
    }

    public void writeJson(Path file) {
        // Its folder was checked at start (sink.OutputPaths); a missing one is not created.
        JsonFiles.write(file, this, "metrics JSON");
    }
}
