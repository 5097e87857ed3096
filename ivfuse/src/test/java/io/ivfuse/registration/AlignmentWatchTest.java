package io.ivfuse.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The drift watch's decision on a sequence of scores: hysteresis against noise, one warning, the absolute limit. */
class AlignmentWatchTest {
    private static AlignmentWatch watch(double minScore) {
        return new AlignmentWatch(null, new AlignmentWatch.Limits(30, 0.4, minScore, 3), "the test pair");
    }

    private static void feed(AlignmentWatch w, double... scores) {
        for (int i = 0; i < scores.length; i++) {
            w.record(30L * i, scores[i]);
        }
    }

    @Test
    void isolatedLowSamplesAreNoise() {
        AlignmentWatch w = watch(0);
        feed(w, 0.5, 0.5, 0.5, 0.1, 0.5, 0.1, 0.1, 0.5, 0.1, 0.5);
        assertNull(w.warning());
        assertEquals(0.5, w.last(), 1e-12);
        assertEquals(0.1, (Double) w.summary().get("alignment_min"), 1e-12);
    }

    @Test
    void aSustainedDropWarnsOnceNamingWhereItBegan() {
        AlignmentWatch w = watch(0);
        feed(w, 0.5, 0.52, 0.48, 0.5, 0.25, 0.2, 0.28, 0.2, 0.5, 0.2, 0.2, 0.2);
        String warning = w.warning();
        assertTrue(warning.startsWith("registration drift on the test pair: "), warning);
        assertTrue(warning.contains("low for 3 samples in a row since frame 120, now 0.280; it was 0.500 at start (low: under 0.300"),
                warning);
        feed(w, 0.1, 0.1, 0.1, 0.1);
        assertTrue(warning == w.warning(), "the first warning stays the only one");
    }

    @Test
    void anAbsoluteLimitCatchesARigMisregisteredFromTheStart() {
        AlignmentWatch w = watch(0.15);
        feed(w, 0.1, 0.1, 0.1);
        assertTrue(w.warning().contains("since frame 0"), w.warning());
    }

    @Test
    void framesWithoutStructureAreSkipped() {
        AlignmentWatch w = watch(0);
        feed(w, Double.NaN, Double.NaN);
        assertEquals(0, w.summary().get("samples"));
        assertNull(w.summary().get("alignment_start"));
    }
}
