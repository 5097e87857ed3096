package io.ivfuse.archive;

import io.ivfuse.util.Redaction;
import java.io.Serializable;
import java.util.List;

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
    /** Task attempts Spark made for this pair's segments (one per segment when each first attempt succeeded). */
    public int attempts;
    /** The tasks it was cut into ({@code batch.segment_seconds}; 1 = fused whole). */
    public int segments;
    /** Frames of the input files (their video packets), and frames written. */
    public long framesInIr;
    public long framesInVisible;
    public long framesOut;
    /** Fusion time summed over the successful attempts of the segments, and frames per second of it. */
    public double seconds;
    public double fps;
    /** Joining the segments into the output (copying packets, no re-encoding). */
    public double joinSeconds;

    /** The pair's line from its segments' results (in order), once its output is joined. */
    static PairResult ok(RecordingPair pair, List<SegmentResult> segments, KeyframeProbe ir, KeyframeProbe vis, double joinSeconds) {
        PairResult r = of(pair, segments, "ok", ir, vis);
        r.output = pair.output();
        r.framesOut = segments.stream().mapToLong(SegmentResult::framesOut).sum();
        r.seconds = segments.stream().mapToDouble(SegmentResult::seconds).sum();
        r.fps = r.seconds > 0 ? r.framesOut / r.seconds : 0;
        r.joinSeconds = joinSeconds;
        return r;
    }

    static PairResult failed(RecordingPair pair, List<SegmentResult> segments, KeyframeProbe ir, KeyframeProbe vis, String error) {
        PairResult r = of(pair, segments, "failed", ir, vis);
        r.error = error;
        return r;
    }

    private static PairResult of(RecordingPair pair, List<SegmentResult> segments, String status, KeyframeProbe ir,
                                 KeyframeProbe vis) {
        PairResult r = new PairResult();
        r.id = pair.id();
        r.ir = Redaction.redact(pair.ir()); // a manifest may name URLs with credentials
        r.vis = Redaction.redact(pair.vis());
        r.attempts = segments.stream().mapToInt(SegmentResult::attempts).sum();
        r.segments = segments.size();
        r.framesInIr = ir == null ? 0 : ir.frames();
        r.framesInVisible = vis == null ? 0 : vis.frames();
        r.status = status;
        return r;
    }

    boolean succeeded() {
        return "ok".equals(status);
    }
}
