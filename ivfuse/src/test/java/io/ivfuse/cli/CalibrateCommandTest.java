package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesACalibrationThatRecoversTheShift() {
        Path source = SharedFiles.require("data/tno/vis/05.png");
        Mat vis = imread(source.toString(), IMREAD_GRAYSCALE);
        // IR(p) = vis(H p) with H a shift by (7.5, -3.25) and a 3% zoom-out about the origin
        Homography truth = Homography.of(0.97, 0, 7.5, 0, 0.97, -3.25, 0, 0, 1);
        Mat ir = new Mat();
        warpPerspective(vis, ir, truth.toMat(), new Size(vis.cols(), vis.rows()), INTER_LINEAR | WARP_INVERSE_MAP,
                0, new Scalar(0.0));
        Path irFile = dir.resolve("ir.png");
        Path visFile = dir.resolve("vis.png");
        imwrite(irFile.toString(), ir);
        imwrite(visFile.toString(), vis);
        Path out = dir.resolve("calib.yaml");

        Result r = ivfuse("calibrate", "--ir", irFile.toString(), "--vis", visFile.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("confidence ") && r.out().contains("wrote " + out), r.out());

        Calibration c = Calibration.load(out);
        FrameSize size = new FrameSize(vis.cols(), vis.rows());
        double[] got = new double[3];
        double[] want = new double[3];
        c.forFrames(size, size).apply(300, 200, got);
        truth.apply(300, 200, want);
        assertEquals(want[0], got[0], 0.5);
        assertEquals(want[1], got[1], 0.5);
    }

    @Test
    void missingImageIsAOneLineUserError() {
        assertRefused(ivfuse("calibrate", "--ir", dir.resolve("none.png").toString(), "--vis", "x.png", "-o", "c.yaml"),
                "--ir image " + dir.resolve("none.png") + " does not exist");
    }

    @Test
    void unknownModelIsAUserError() {
        assertRefused(ivfuse("calibrate", "--ir", "a.png", "--vis", "b.png", "-o", "c.yaml", "--model", "spline"),
                "--model must be homography or affine, got 'spline'");
    }
}
