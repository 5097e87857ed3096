package io.ivfuse.registration;

import io.ivfuse.IvfuseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Automatic calibration from an IR and a visible recording of the rig: {@link AutoCalibrator} on
 * {@code n} frame pairs spread over the time both cover ({@link VideoPairSampler}), and the
 * consensus of their results.
 *
 * <p>Evidence is pooled the way the calibrator pools it within one image: a mapping that
 * independently started searches converge to is unlikely to be a local optimum. Across frames the
 * scene (moving objects, light, noise) differs, so each frame's winner is such an independent
 * start. The consensus is the largest group of frame results within {@link AutoCalibrator#AGREE_PX}
 * of one another; its support is the sum of the agreeing frames' own supports, and the confidence
 * follows the calibrator's rule (half agreement, half distinctiveness from rivals, here the
 * median margin of the agreeing frames), scaled by the fraction of frames that agree. A
 * frame whose result disagrees, or that could not be calibrated at all, counts against the
 * result. A static scene gives frames that are nearly the same picture, so their agreement is
 * weaker evidence than that of a moving one: spreading the samples over the whole overlap helps.
 */
public final class VideoCalibration {
    /** Frame results within this many pixels (mean over the IR frame) are the same answer. */
    public static final double AGREE_PX = AutoCalibrator.AGREE_PX;

    /** One sampled frame pair: its times, the calibrator's result or why it failed, and whether it agrees with the consensus. */
    public record Sample(long visUs, long irUs, AutoCalibrator.Result result, String failure, boolean agrees) {
    }

    /**
     * The consensus and the frame pair it was chosen on (for the overlay picture): the caller owns
     * {@code ir} and {@code vis} and closes them.
     *
     * @param best the agreeing frame result of highest correlation, whose calibration is the answer
     */
    public record Result(AutoCalibrator.Result best, double confidence, int agreeing, int support, List<Sample> samples,
            String reason, Mat ir, Mat vis) {
        public boolean accepted() {
            return reason == null;
        }

        public Calibration calibration() {
            return best.calibration();
        }
    }

    private VideoCalibration() {
    }

    /**
     * @throws IvfuseException for bad recordings ({@link VideoPairSampler#sample}) or when no frame
     *     pair could be calibrated at all
     */
    public static Result calibrate(Path irVideo, Path visVideo, int frames, Calibration.Model model) {
        List<VideoPairSampler.FramePair> pairs = VideoPairSampler.sample(irVideo, visVideo, frames);
        try {
            List<AutoCalibrator.Result> results = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            AutoCalibrator calibrator = new AutoCalibrator();
            for (VideoPairSampler.FramePair p : pairs) {
                try {
                    results.add(calibrator.calibrate(p.ir(), p.vis(), model));
                    failures.add(null);
                } catch (IvfuseException e) {
                    results.add(null);
                    failures.add(e.getMessage());
                }
            }
            int winner = consensus(results, new FrameSize(pairs.get(0).ir().cols(), pairs.get(0).ir().rows()));
            if (winner < 0) {
                throw new IvfuseException("could not calibrate any of the " + pairs.size() + " frame pairs: " + failures.get(0));
            }
            AutoCalibrator.Result best = results.get(winner);
            FrameSize irSize = best.calibration().irSize();
            List<Sample> samples = new ArrayList<>();
            List<Double> margins = new ArrayList<>();
            int agreeing = 0;
            int support = 0;
            for (int i = 0; i < pairs.size(); i++) {
                AutoCalibrator.Result r = results.get(i);
                boolean agrees = r != null && agree(r, best, irSize);
                if (agrees) {
                    agreeing++;
                    support += r.support();
                    margins.add(r.rivalMargin());
                }
                samples.add(new Sample(pairs.get(i).visUs(), pairs.get(i).irUs(), r, failures.get(i), agrees));
            }
            double margin = median(margins);
            double confidence = AutoCalibrator.confidence(support, margin, best.orientationShift()) * agreeing / pairs.size();
            String reason = refusal(confidence, agreeing, pairs.size(), support, best.correlation(), best.orientationShift());
            if (reason != null) {
                confidence = Math.min(confidence, AutoCalibrator.ACCEPT_CONFIDENCE - 0.01);
            }
            VideoPairSampler.FramePair chosen = pairs.remove(winner);
            return new Result(best, confidence, agreeing, support, samples, reason, chosen.ir(), chosen.vis());
        } finally {
            pairs.forEach(VideoPairSampler.FramePair::close);
        }
    }

    /**
     * The index of the answer: of the largest group of results that agree with one another, the
     * one of highest correlation; -1 when no frame was calibrated.
     */
    private static int consensus(List<AutoCalibrator.Result> results, FrameSize irSize) {
        int winner = -1;
        int winnerGroup = 0;
        for (int i = 0; i < results.size(); i++) {
            AutoCalibrator.Result r = results.get(i);
            if (r == null) {
                continue;
            }
            int group = 0;
            for (AutoCalibrator.Result o : results) {
                if (o != null && agree(r, o, irSize)) {
                    group++;
                }
            }
            if (group > winnerGroup || (group == winnerGroup && r.correlation() > results.get(winner).correlation())) {
                winner = i;
                winnerGroup = group;
            }
        }
        return winner;
    }

    /** Two results agree when their mappings are within {@link #AGREE_PX} over the IR frame. */
    private static boolean agree(AutoCalibrator.Result a, AutoCalibrator.Result b, FrameSize irSize) {
        return a.calibration().irToVis().meanDistance(b.calibration().irToVis(), irSize) <= AGREE_PX;
    }

    /**
     * Why the consensus is not accepted, or null. More than half of the frames must agree; the
     * agreeing hypotheses, the correlation, the chosen frame's edge-orientation check and the
     * confidence must pass the calibrator's own limits.
     */
    static String refusal(double confidence, int agreeing, int frames, int support, double correlation,
            double orientationShift) {
        if (confidence >= AutoCalibrator.ACCEPT_CONFIDENCE && 2 * agreeing > frames && support >= AutoCalibrator.MIN_SUPPORT
                && correlation >= AutoCalibrator.MIN_CORRELATION
                && orientationShift <= AutoCalibrator.MAX_ORIENTATION_SHIFT_PX) {
            return null;
        }
        return String.format(Locale.ROOT, "confidence %.2f (at least %.2f needed): %d of %d frame pairs agree (more than"
                + " half needed), %d alignment hypotheses over those frames agree (at least %d needed), correlation %.3f"
                + " (at least %.2f needed), edge orientations move it %.1f px (at most %.1f allowed)", confidence,
                AutoCalibrator.ACCEPT_CONFIDENCE, agreeing, frames, support, AutoCalibrator.MIN_SUPPORT, correlation,
                AutoCalibrator.MIN_CORRELATION, orientationShift, AutoCalibrator.MAX_ORIENTATION_SHIFT_PX);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
