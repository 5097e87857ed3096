package io.ivfuse.archive;

import io.ivfuse.metrics.RunSummary;
import io.ivfuse.util.Redaction;
import java.io.Serializable;

/** What became of one pair: its line in the job report (snake_case keys there). */
public final class PairResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public String id;
    public String ir;
    public String vis;
    /** The fused file; null when the pair failed (nothing is left under its name then). */
    public String output;
    /** {@code ok} or {@code failed}. */
    public String status;
    /** Why the pair failed, one line naming the file or frame; null when it succeeded. */
    public String error;
    /** Task attempts Spark made for this pair (1 when the first one succeeded). */
    public int attempts;
    public long framesInIr;
    public long framesInVisible;
    public long framesOut;
    /** Fusion time of the successful attempt, and its frame rate. */
    public double seconds;
    public double fps;

    static PairResult ok(RecordingPair pair, int attempts, RunSummary summary) {
        PairResult r = of(pair, attempts, "ok");
        r.output = pair.output();
        r.framesInIr = summary.framesInIr;
        r.framesInVisible = summary.framesInVisible;
        r.framesOut = summary.framesOut;
        r.seconds = summary.seconds;
        r.fps = summary.fps;
        return r;
    }

    static PairResult failed(RecordingPair pair, int attempts, String error) {
        PairResult r = of(pair, attempts, "failed");
        r.error = error;
        return r;
    }

    private static PairResult of(RecordingPair pair, int attempts, String status) {
        PairResult r = new PairResult();
        r.id = pair.id();
        r.ir = Redaction.redact(pair.ir()); // a manifest may name URLs with credentials
        r.vis = Redaction.redact(pair.vis());
        r.attempts = attempts;
        r.status = status;
        return r;
    }

    boolean succeeded() {
        return "ok".equals(status);
    }
}
