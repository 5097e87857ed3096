package io.ivfuse.registration;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The acceptance rule of {@link AutoCalibrator}: every criterion must hold on its own. */
class AutoCalibratorAcceptanceTest {
    @Test
    void agreeingHypothesesWithAClearMarginAreAccepted() {
        assertNull(AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.3, 0.45), 4, 6, 0.45, 0.3, 0.4));
    }

    @Test
    void aLoneHypothesisIsRefusedHoweverDistinct() {
        double confidence = AutoCalibrator.confidence(1, 0.5, 0.5);
        assertTrue(confidence >= AutoCalibrator.ACCEPT_CONFIDENCE, "the margin alone reaches the threshold");
        String why = AutoCalibrator.refusal(confidence, 1, 6, 0.5, 0.5, 0.4);
        assertTrue(why != null && why.contains("1 of 6 alignment hypotheses agree (at least 2 needed)"), why);
    }

    @Test
    void agreementOnANearZeroCorrelationIsRefused() {
        String why = AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.1, 0.03), 4, 5, 0.03, 0.1, 0.4);
        assertTrue(why != null && why.contains("correlation 0.030 (at least 0.15 needed)"), why);
    }

    @Test
    void edgeOrientationsThatPullTheResultAwayAreRefused() {
        String why = AutoCalibrator.refusal(AutoCalibrator.confidence(4, 0.3, 0.45), 4, 6, 0.45, 0.3, 3.2);
        assertTrue(why != null && why.contains("edge orientations move it 3.2 px (at most 1.5 allowed)"), why);
    }
}
