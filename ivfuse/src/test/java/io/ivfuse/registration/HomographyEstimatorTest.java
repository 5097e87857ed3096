package io.ivfuse.registration;

import static io.ivfuse.registration.RegistrationFixtures.inverted;
import static io.ivfuse.registration.RegistrationFixtures.meanGridError;
import static io.ivfuse.registration.RegistrationFixtures.simulatedIr;
import static io.ivfuse.registration.RegistrationFixtures.sizeOf;
import static io.ivfuse.registration.RegistrationFixtures.trueAffineIrToVis;
import static io.ivfuse.registration.RegistrationFixtures.trueIrToVis;
import static io.ivfuse.registration.RegistrationFixtures.visibleImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The estimator must recover a known misregistration from the image pair alone. The simulated IR
 * has its gray levels inverted, so only structure (not brightness) can match, as with real IR.
 */
class HomographyEstimatorTest {
    private final HomographyEstimator estimator = new HomographyEstimator();

    @Test
    void recoversAHomography() {
        Mat vis = visibleImage();
        FrameSize size = sizeOf(vis);
        Homography truth = trueIrToVis(size);
        Mat ir = inverted(simulatedIr(vis, truth, size));
        // sanity: the pair really is misregistered, by several pixels on average
        assertTrue(meanGridError(Homography.identity(), truth, size) > 10);

        HomographyEstimator.Estimate e = estimator.estimate(ir, vis, Calibration.Model.HOMOGRAPHY);
        double error = meanGridError(e.calibration().irToVis(), truth, size);
        assertTrue(error < 0.5, "mean grid error " + error + " px, correlation " + e.correlation());
        assertEquals(size, e.calibration().irSize());
        assertEquals(size, e.calibration().visSize());
        assertTrue(e.correlation() > 0.5, "correlation " + e.correlation());
    }

    @Test
    void recoversAHomographyForAHalfResolutionIr() {
        Mat vis = visibleImage();
        FrameSize size = sizeOf(vis);
        FrameSize half = new FrameSize(size.width() / 2, size.height() / 2);
        Homography truth = trueIrToVis(size);
        Mat ir = inverted(simulatedIr(vis, truth, half));

        HomographyEstimator.Estimate e = estimator.estimate(ir, vis, Calibration.Model.HOMOGRAPHY);
        assertEquals(half, e.calibration().irSize());
        // the matrix maps half-resolution IR pixels to visible pixels; errors measured in visible pixels
        Homography truthAtHalf = truth.after(Homography.rescaling(half, size));
        double error = meanGridError(e.calibration().irToVis(), truthAtHalf, half);
        assertTrue(error < 0.5, "mean grid error " + error + " px, correlation " + e.correlation());
    }

    @Test
    void recoversAnAffineMapping() {
        Mat vis = visibleImage();
        FrameSize size = sizeOf(vis);
        Homography truth = trueAffineIrToVis(size);
        Mat ir = inverted(simulatedIr(vis, truth, size));

        HomographyEstimator.Estimate e = estimator.estimate(ir, vis, Calibration.Model.AFFINE);
        assertEquals(Calibration.Model.AFFINE, e.calibration().model());
        assertTrue(e.calibration().irToVis().isAffine());
        double error = meanGridError(e.calibration().irToVis(), truth, size);
        assertTrue(error < 0.5, "mean grid error " + error + " px, correlation " + e.correlation());
    }
}
