package io.ivfuse.fusion.video;

import static io.ivfuse.fusion.video.BracketedScenes.expose;
import static io.ivfuse.fusion.video.BracketedScenes.meanAbsDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.job.Natives;
import io.ivfuse.quality.metric.TemporalStability;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ghost suppression and weight smoothing on synthetic exposure video (no shared data): a striped
 * square moves between the two frames of a sliding pair, and a still scene's over exposure steps
 * (an auto-exposure that overshoots and settles) under sensor noise.
 */
class ExposureVideoTest {
    private static final int W = 320;
    private static final int H = 240;
    private static final int SIDE = 48;
    private static final double UNDER = 0.25;
    private static final double OVER = 4;
    private static final double NOISE = 1.5;

    @BeforeAll
    static void natives() {
        Natives.opencv();
    }

    private static FusionEngine engine(String name) {
        return FusionEngines.create(name, FusionMode.MEF, EngineOptions.defaults());
    }

    /**
     * The object is at x = 60 in the over exposure (the earlier frame) and at x = 180 in the under
     * one (the latest, the reference). Fused as they are, the old place shows the object from the
     * over exposure over the background; with suppression both places match what the engine makes
     * of the reference's instant fused with itself (both exposures taken then), and the still
     * background is untouched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mef-lut", "mertens", "onnxruntime"})
    void theMovingObjectAppearsOnceWhereTheReferenceShowsIt(String name) {
        Random random = new Random(1);
        YuvPlanes[] pair = movingPair(random);
        YuvPlanes under = pair[0];
        YuvPlanes overNow = YuvPlanes.allocate(W, H, true);
        expose(scene(180), OVER, NOISE, random, overNow);
        YuvPlanes plain = YuvPlanes.allocate(W, H, true);
        YuvPlanes suppressed = YuvPlanes.allocate(W, H, true);
        YuvPlanes aligned = YuvPlanes.allocate(W, H, true);
        try (FusionEngine engine = engine(name); ExposureFusionSession s = engine.openExposureSession(W, H, 2, true);
             GhostSuppressor ghosts = new GhostSuppressor(W, H, true, MefVideoOptions.DEFAULT_THRESHOLD)) {
            s.fuse(pair, plain);
            s.fuse(ghosts.suppress(pair, 0), suppressed);
            s.fuse(new YuvPlanes[] {under, overNow}, aligned);
        }
        int m = 6; // inside the object's edges
        double oldPlain = meanAbsDiff(plain.y(), aligned.y(), 60 + m, 96 + m, 60 + SIDE - m, 96 + SIDE - m);
        double oldSuppressed = meanAbsDiff(suppressed.y(), aligned.y(), 60 + m, 96 + m, 60 + SIDE - m, 96 + SIDE - m);
        double newPlain = meanAbsDiff(plain.y(), aligned.y(), 180 + m, 96 + m, 180 + SIDE - m, 96 + SIDE - m);
        double newSuppressed = meanAbsDiff(suppressed.y(), aligned.y(), 180 + m, 96 + m, 180 + SIDE - m, 96 + SIDE - m);
        // far from both places; MergeMertens' coarsest pyramid levels span the frame, so any change
        // of an input moves its whole output a little: held relative to the ghost removed
        double still = meanAbsDiff(suppressed.y(), plain.y(), 0, 0, W, 40);
        System.out.printf("%s: old place %.1f -> %.1f, new place %.1f -> %.1f, still %.2f%n", name, oldPlain,
                oldSuppressed, newPlain, newSuppressed, still);
        assertTrue(oldPlain > 10, name + ": no ghost to suppress at the old place: " + oldPlain);
        // what is left is the synthesised exposure's quantisation and noise through a steep mapping
        assertTrue(oldSuppressed < oldPlain / 2.5 && oldSuppressed < 10,
                name + ": ghost at the old place " + oldPlain + " -> " + oldSuppressed);
        assertTrue(newSuppressed <= newPlain + 1, name + ": object at the new place " + newPlain + " -> " + newSuppressed);
        assertTrue(still < (oldPlain - oldSuppressed) / 5, name + ": the still background changed by " + still);
    }

    /**
     * A still scene whose over exposure steps down and hunts (gain 4, then 2, 3, 2.5, 2.8, 2.6...)
     * under fresh noise every frame, as sliding pairs: the flicker the fusion adds (temporal
     * stability, lower is steadier) is lower with the weights smoothed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mef-lut", "mertens"})
    void smoothedWeightsFlickerLessThroughAnExposureStep(String name) {
        double plain = flicker(name, 0);
        double smoothed = flicker(name, MefVideoOptions.DEFAULT_WEIGHT_SMOOTHING);
        System.out.printf("%s: temporal stability %.3f -> %.3f%n", name, plain, smoothed);
        assertTrue(smoothed < plain * 0.8, name + ": temporal stability " + plain + " -> " + smoothed);
    }

    private static final double[] OVER_GAINS = {4, 4, 4, 4, 4, 4, 2, 2, 3, 3, 2.5, 2.5, 2.8, 2.8, 2.6, 2.6, 2.7, 2.7, 2.7, 2.7};

    private static double flicker(String name, double keep) {
        Random random = new Random(7);
        YuvPlanes scene = BracketedScenes.pattern(W, H);
        YuvPlanes under = YuvPlanes.allocate(W, H, true);
        YuvPlanes over = YuvPlanes.allocate(W, H, true);
        YuvPlanes fused = YuvPlanes.allocate(W, H, true);
        TemporalStability stability = new TemporalStability();
        try (FusionEngine engine = engine(name); ExposureFusionSession s = engine.openExposureSession(W, H, 2, true);
             TemporalWeightFilter smoothing = keep > 0 ? new TemporalWeightFilter(W, H, keep, MefVideoOptions.DEFAULT_THRESHOLD) : null) {
            expose(scene, OVER_GAINS[0], NOISE, random, over);
            for (int t = 0; t < 2 * OVER_GAINS.length; t++) {
                boolean overNow = t % 2 == 1;
                if (overNow) {
                    expose(scene, OVER_GAINS[t / 2], NOISE, random, over);
                } else {
                    expose(scene, UNDER, NOISE, random, under);
                }
                YuvPlanes[] pair = {under, over};
                s.fuse(pair, fused);
                if (smoothing != null) {
                    smoothing.apply(pair, overNow ? 1 : 0, fused);
                }
                stability.accept(under.y(), over.y(), fused.y());
            }
        }
        return stability.value();
    }

    /** The square at x = 180 in the under exposure (the latest frame), at x = 60 in the over one. */
    private static YuvPlanes[] movingPair(Random random) {
        YuvPlanes under = YuvPlanes.allocate(W, H, true);
        YuvPlanes over = YuvPlanes.allocate(W, H, true);
        expose(scene(180), UNDER, NOISE, random, under);
        expose(scene(60), OVER, NOISE, random, over);
        return new YuvPlanes[] {under, over};
    }

    private static YuvPlanes scene(int objectX) {
        YuvPlanes scene = BracketedScenes.pattern(W, H);
        BracketedScenes.pasteObject(scene, objectX, 96, SIDE);
        return scene;
    }

    @Test
    void steadyStateAllocatesNothing() {
        YuvPlanes[] pair = movingPair(new Random(3));
        YuvPlanes fused = YuvPlanes.allocate(W, H, true);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        try (FusionEngine engine = engine("mef-lut"); ExposureFusionSession s = engine.openExposureSession(W, H, 2, true);
             GhostSuppressor ghosts = new GhostSuppressor(W, H, true, MefVideoOptions.DEFAULT_THRESHOLD);
             TemporalWeightFilter smoothing = new TemporalWeightFilter(W, H, 0.5, MefVideoOptions.DEFAULT_THRESHOLD)) {
            Runnable frame = () -> {
                s.fuse(ghosts.suppress(pair, 0), fused);
                smoothing.apply(pair, 0, fused);
            };
            for (int i = 0; i < 50; i++) {
                frame.run();
            }
            long start = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100; i++) {
                frame.run();
            }
            double perFrame = (threads.getThreadAllocatedBytes(thread) - start) / 100.0;
            assertTrue(perFrame < 64, "ghost suppression and smoothing allocated " + perFrame + " bytes a frame");
        }
    }
}
