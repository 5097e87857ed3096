package io.ivfuse.registration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.job.Natives;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The independent second opinion of {@link OrientationAgreement}: on a real image and an "IR" made
 * from it by a known mapping with inverted gray levels, the score peaks at the true mapping and
 * the search climbs back to it from a start several pixels off.
 */
class OrientationAgreementTest {
    @Test
    void climbsBackToTheTrueMappingAcrossAContrastInversion() {
        Natives.opencv();
        // half the TNO image's size keeps the test quick
        try (Mat full = RegistrationFixtures.visibleImage(); Mat vis = new Mat();
                org.bytedeco.opencv.opencv_core.Size half = new org.bytedeco.opencv.opencv_core.Size(384, 288)) {
            org.bytedeco.opencv.global.opencv_imgproc.resize(full, vis, half, 0, 0,
                    org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
            FrameSize size = new FrameSize(vis.cols(), vis.rows());
            Homography truth = RegistrationFixtures.trueIrToVis(size);
            double cx = size.width() / 2.0;
            double cy = size.height() / 2.0;
            // 2% larger about the centre, then (3, -2) px off
            Homography off = Homography.of(1.02, 0, 3 - 0.02 * cx, 0, 1.02, -2 - 0.02 * cy, 0, 0, 1).after(truth);
            try (Mat plain = RegistrationFixtures.simulatedIr(vis, truth, size);
                    Mat ir = RegistrationFixtures.inverted(plain);
                    OrientationAgreement agreement = OrientationAgreement.of(ir, vis, false)) {
                double start = off.meanDistance(truth, size);
                assertTrue(start > 3, "the start is " + start + " px off");
                assertTrue(agreement.scoreIrToVis(truth) > agreement.scoreIrToVis(off), "the score peaks at the truth");
                double end = agreement.maximiseIrToVis(off).meanDistance(truth, size);
                assertTrue(end < 0.5, "the search ends " + end + " px from the truth");
            }
        }
    }
}
