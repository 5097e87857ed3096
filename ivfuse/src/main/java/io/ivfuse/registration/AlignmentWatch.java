package io.ivfuse.registration;

import io.ivfuse.frame.Plane;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift watch for a running rig: every {@code every}-th fused frame is scored ({@link AlignmentScore}),
 * and when the score stays low for {@code sustain} samples in a row it warns, once per run.
 * Low means below {@code (1 - maxDrop)} times the score at start (the mean of the first
 * {@value #BASELINE_SAMPLES} samples), or below {@code minScore}. Needing several low samples in
 * a row is the hysteresis: a frame of little structure (a flash, a pan across the sky) scores low
 * once and is not a drift.
 *
 * <p>Scoring runs on the caller's thread (the output stage) on the sampled frames only, at low
 * resolution: about 3 ms a sample at 640x480 on the loaded 2-core VM (benchmarks/registration.md); the frames in
 * between cost a counter. Nothing is allocated per frame.
 */
public final class AlignmentWatch implements AutoCloseable {
    /** The Dropwizard gauge of the latest score (Prometheus: {@code ivfuse_registration_alignment}). */
    public static final String METRIC = "ivfuse.registration.alignment";
    static final int BASELINE_SAMPLES = 3;
    private static final Logger log = LoggerFactory.getLogger(AlignmentWatch.class);

    /** When to warn: see the class comment. */
    public record Limits(int every, double maxDrop, double minScore, int sustain) {
        public Limits {
            if (every < 1 || sustain < 1 || !(maxDrop > 0 && maxDrop < 1) || !Double.isFinite(minScore)) {
                throw new IllegalArgumentException("bad drift-watch limits " + every + ", " + maxDrop + ", " + minScore
                        + ", " + sustain);
            }
        }
    }

    private final AlignmentScore scorer;
    private final Limits limits;
    private final String pair;
    private long frames;
    private int samples;
    private double baselineSum;
    private double baseline = Double.NaN;
    private volatile double last = Double.NaN;
    private double lowest = Double.POSITIVE_INFINITY;
    private int lowRun;
    private long lowSinceFrame;
    private String warning;
    private long scoringNanos;

    /**
     * @param scorer owned by the watch from here on (closed with it); null for {@link #record} alone (tests)
     * @param pair   the inputs, as the warning names them
     */
    public AlignmentWatch(AlignmentScore scorer, Limits limits, String pair) {
        this.scorer = scorer;
        this.limits = limits;
        this.pair = pair;
    }

    /** Sees one fused frame: scores it when it is a sampled one. */
    public void accept(long frameIndex, Plane visible, Plane registered) {
        if (frames++ % limits.every() != 0) {
            return;
        }
        long t0 = System.nanoTime();
        double score = scorer.score(visible, registered);
        scoringNanos += System.nanoTime() - t0;
        record(frameIndex, score);
    }

    /** Takes one sample's score (NaN: a frame without structure, skipped). */
    void record(long frameIndex, double score) {
        if (Double.isNaN(score)) {
            return;
        }
        samples++;
        last = score;
        lowest = Math.min(lowest, score);
        if (samples <= BASELINE_SAMPLES) {
            baselineSum += score;
            baseline = baselineSum / samples;
        }
        boolean low = score < limits.minScore() || (samples > BASELINE_SAMPLES && score < (1 - limits.maxDrop()) * baseline);
        if (!low) {
            lowRun = 0;
            return;
        }
        if (lowRun++ == 0) {
            lowSinceFrame = frameIndex;
        }
        if (lowRun == limits.sustain() && warning == null) {
            warning = String.format(Locale.ROOT, "registration drift on %s: the alignment score (edge agreement of"
                    + " the registered IR and visible frames) has been low for %d samples in a row since frame %d, now"
                    + " %.3f; it was %.3f at start (low: under %.3f, or under %.3f): the rig may have moved, recalibrate"
                    + " it (ivfuse calibrate)", pair, lowRun, lowSinceFrame, score, baseline,
                    (1 - limits.maxDrop()) * baseline, limits.minScore());
            log.warn("{}", warning);
        }
    }

    /** The latest score (NaN before the first sample); any thread. */
    public double last() {
        return last;
    }

    /** The drift warning given, or null. */
    public String warning() {
        return warning;
    }

    /** For the run summary: scores at start, last and lowest, samples, the warning, and the cost of a sample. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alignment_start", finiteOrNull(baseline));
        m.put("alignment_last", finiteOrNull(last));
        m.put("alignment_min", finiteOrNull(lowest));
        m.put("samples", samples);
        m.put("every", limits.every());
        m.put("sample_ms_mean", samples == 0 ? 0.0 : scoringNanos / 1e6 / samples);
        m.put("drift_warning", warning);
        return m;
    }

    /** JSON has no NaN: a score not measured is null. */
    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public void close() {
        if (scorer != null) {
            scorer.close();
        }
    }
}
