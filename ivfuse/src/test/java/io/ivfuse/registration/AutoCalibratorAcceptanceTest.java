package io.ivfuse.registration;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The acceptance rule of {@link AutoCalibrator}: every criterion must hold on its own. */
class AutoCalibratorAcceptanceTest {
    @Test
    void agreeingHypothesesWithAClearMarginAreAccepted() {
        assertNull(AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.3, 0.4), 4, 6, 0.45, 0.3, 0.4));
    }

    @Test
    void aLoneHypothesisIsAcceptedOnlyWhenDistinctAndConfirmedByEdgeOrientations() {
        assertNull(AutoCalibrator.refusal(AutoCalibrator.confidence(1, 0.15, 0.5), 1, 6, 0.4, 0.15, 0.5));
        double unconfirmed = AutoCalibrator.confidence(1, 0.15, 1.3);
        String why = AutoCalibrator.refusal(unconfirmed, 1, 6, 0.4, 0.15, 1.3);
        assertTrue(why != null && why.startsWith(String.format(java.util.Locale.ROOT, "confidence %.2f (at least 0.50 needed)",
                unconfirmed)), why);
    }

    @Test
    void agreementOnANearZeroCorrelationIsRefused() {
        String why = AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.1, 0.4), 4, 5, 0.03, 0.1, 0.4);
        assertTrue(why != null && why.contains("correlation 0.030 (at least 0.15 needed)"), why);
    }

    @Test
    void edgeOrientationsThatPullTheResultAwayAreRefused() {
        String why = AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.3, 3.2), 4, 6, 0.45, 0.3, 3.2);
        assertTrue(why != null && why.contains("edge orientations move it 3.2 px (at most 1.5 allowed)"), why);
    }

    @Test
    void tooLittleOverlapForTheOrientationCheckIsRefused() {
        double infinite = Double.POSITIVE_INFINITY;
        String why = AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.3, infinite), 4, 6, 0.45, 0.3, infinite);
        assertTrue(why != null && why.contains("edge orientations move it Infinity px"), why);
    }
}
