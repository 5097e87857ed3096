package io.ivfuse.registration;

import static io.ivfuse.registration.RegistrationFixtures.meanGridError;
import static io.ivfuse.registration.RegistrationFixtures.simulatedIr;
import static io.ivfuse.registration.RegistrationFixtures.sizeOf;
import static io.ivfuse.registration.RegistrationFixtures.toPlane;
import static io.ivfuse.registration.RegistrationFixtures.trueIrToVis;
import static io.ivfuse.registration.RegistrationFixtures.visibleImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class IrRegistrarTest {

    @Test
    void identityAtEqualSizesIsACopy() {
        FrameSize size = new FrameSize(64, 48);
        Plane ir = Plane.allocate(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                ir.set(x, y, (x * 7 + y * 13) & 0xFF);
            }
        }
        Plane out = Plane.wrap(java.nio.ByteBuffer.allocateDirect(80 * 48), 64, 48, 80);
        try (IrRegistrar r = new IrRegistrar(size, size, Calibration.identity())) {
            assertTrue(r.isCopy());
            r.warp(ir, out);
        }
        assertArrayEquals(ir.toArray(), out.toArray());
    }

    @Test
    void identityAtOtherSizesIsAResize() {
        Mat vis = visibleImage();
        FrameSize visSize = sizeOf(vis);
        FrameSize half = new FrameSize(visSize.width() / 2, visSize.height() / 2);
        Mat small = new Mat();
        Mat expected = new Mat();
        resize(vis, small, new Size(half.width(), half.height()));
        resize(small, expected, new Size(visSize.width(), visSize.height()), 0, 0, INTER_LINEAR);
        Plane out = Plane.allocate(visSize.width(), visSize.height());
        try (IrRegistrar r = new IrRegistrar(half, visSize, Calibration.identity())) {
            assertFalse(r.isCopy());
            r.warp(toPlane(small), out);
        }
        // cv::resize and remap both interpolate bilinearly in fixed point, with different rounding
        byte[] want = toPlane(expected).toArray();
        byte[] got = out.toArray();
        int worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs((want[i] & 0xFF) - (got[i] & 0xFF)));
        }
        assertTrue(worst <= 2, "largest difference from cv::resize: " + worst);
    }

    @Test
    void restoresAKnownMisregistration() {
        Mat vis = visibleImage();
        FrameSize size = sizeOf(vis);
        Homography h = trueIrToVis(size);
        Mat ir = simulatedIr(vis, h, size);
        Calibration calibration = Calibration.of(Calibration.Model.HOMOGRAPHY, h, size, size);
        checkRestores(vis, ir, calibration, h, 3.0);
    }

    @Test
    void restoresAHalfResolutionIrFromAFullResolutionCalibration() {
        Mat vis = visibleImage();
        FrameSize size = sizeOf(vis);
        FrameSize half = new FrameSize(size.width() / 2, size.height() / 2);
        Homography h = trueIrToVis(size);
        Mat ir = simulatedIr(vis, h, half);
        // calibrated at full resolution; the registrar rescales it for the half-resolution IR
        Calibration calibration = Calibration.of(Calibration.Model.HOMOGRAPHY, h, size, size);
        Homography trueAtHalf = h.after(Homography.rescaling(half, size));
        // the half-resolution IR has lost detail, so pixel agreement is looser
        checkRestores(vis, ir, calibration, trueAtHalf, 6.0);
    }

    /**
     * (1) the remap tables send visible grid points where the true inverse sends them;
     * (2) the registered image agrees with the visible one where the IR frame covers it, and
     *     clearly better than the unregistered (identity) mapping does.
     */
    private static void checkRestores(Mat vis, Mat ir, Calibration calibration, Homography trueIrToVis,
            double maxMeanAbsDiff) {
        FrameSize visSize = sizeOf(vis);
        FrameSize irSize = sizeOf(ir);
        Homography visToIr = trueIrToVis.inverse();
        Plane irPlane = toPlane(ir);
        Plane registered = Plane.allocate(visSize.width(), visSize.height());
        Plane unregistered = Plane.allocate(visSize.width(), visSize.height());
        double gridError;
        try (IrRegistrar r = new IrRegistrar(irSize, visSize, calibration);
                IrRegistrar none = new IrRegistrar(irSize, visSize, Calibration.identity())) {
            double sum = 0;
            int n = 0;
            double[] p = new double[3];
            for (int y = 0; y < visSize.height(); y += 24) {
                for (int x = 0; x < visSize.width(); x += 24) {
                    visToIr.apply(x, y, p);
                    double[] built = r.irPositionOf(x, y);
                    if (p[0] >= 0 && p[1] >= 0 && p[0] <= irSize.width() - 1 && p[1] <= irSize.height() - 1) {
                        sum += Math.hypot(built[0] - p[0], built[1] - p[1]);
                        n++;
                    }
                }
            }
            assertTrue(n > 300, "grid points inside the IR frame: " + n);
            gridError = sum / n;
            r.warp(irPlane, registered);
            none.warp(irPlane, unregistered);
            r.warp(irPlane, registered); // steady state: same result on reuse
        }
        assertTrue(gridError < 0.5, "mean grid error " + gridError);
        assertTrue(gridError < 1.0 / 32, "fixed-point maps are exact to 1/32 px, mean error " + gridError);

        Plane visPlane = toPlane(vis);
        double[] p = new double[3];
        long diff = 0;
        long diffUnregistered = 0;
        int n = 0;
        for (int y = 0; y < visSize.height(); y++) {
            for (int x = 0; x < visSize.width(); x++) {
                visToIr.apply(x, y, p);
                // interior: away from the IR frame's edge, where bilinear sampling meets the 0 border
                if (p[0] >= 2 && p[1] >= 2 && p[0] <= irSize.width() - 3 && p[1] <= irSize.height() - 3) {
                    diff += Math.abs(registered.get(x, y) - visPlane.get(x, y));
                    diffUnregistered += Math.abs(unregistered.get(x, y) - visPlane.get(x, y));
                    n++;
                } else if (p[0] < -1 || p[1] < -1 || p[0] > irSize.width() || p[1] > irSize.height()) {
                    assertEquals(0, registered.get(x, y), "outside the IR frame at " + x + "," + y);
                }
            }
        }
        double mean = (double) diff / n;
        double meanUnregistered = (double) diffUnregistered / n;
        assertTrue(mean < maxMeanAbsDiff, "mean |registered - visible| " + mean);
        assertTrue(mean * 3 < meanUnregistered, "registered " + mean + " vs unregistered " + meanUnregistered);
    }

    @Test
    void rejectsPlanesOfTheWrongSize() {
        FrameSize ir = new FrameSize(32, 24);
        FrameSize vis = new FrameSize(64, 48);
        IrRegistrar r = new IrRegistrar(ir, vis, Calibration.identity());
        assertThrows(IllegalArgumentException.class, () -> r.warp(Plane.allocate(64, 48), Plane.allocate(64, 48)));
        assertThrows(IllegalArgumentException.class, () -> r.warp(Plane.allocate(32, 24), Plane.allocate(32, 24)));
        r.close();
        r.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> r.warp(Plane.allocate(32, 24), Plane.allocate(64, 48)));
    }
}
