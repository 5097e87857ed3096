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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.job.Natives;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ivfuse calibrate} from point pairs ({@code --points}), its bad inputs, and the automatic
 * mode's acceptance and refusal on real IR/visible pairs (RoadScene train: development data).
 */
class CalibrateInputsTest {
    /** IR 320x240 -> visible 640x480: scale 2 plus a small rotation, shift and tilt. */
    private static final Homography TRUTH = Homography.of(1.95, -0.12, 20, 0.1, 2.02, -8, 1e-5, -2e-5, 1);

    @TempDir
    Path dir;
    private Path irImage;
    private Path visImage;
    private Path out;

    @BeforeEach
    void images() {
        Natives.opencv();
        irImage = dir.resolve("ir.png");
        visImage = dir.resolve("vis.png");
        try (Mat ir = new Mat(240, 320, opencv_core.CV_8UC1, new Scalar(90.0));
                Mat vis = new Mat(480, 640, opencv_core.CV_8UC1, new Scalar(40.0))) {
            imwrite(irImage.toString(), ir);
            imwrite(visImage.toString(), vis);
        }
        out = dir.resolve("calib.yaml");
    }

    private String csvLine(double xIr, double yIr) {
        double[] v = new double[3];
        TRUTH.apply(xIr, yIr, v);
        return String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f", xIr, yIr, v[0], v[1]);
    }

    private Result calibrate(Path points, String... more) {
        List<String> args = new ArrayList<>(List.of("calibrate", "--ir", irImage.toString(), "--vis", visImage.toString(),
                "-o", out.toString(), "--points", points.toString()));
        args.addAll(List.of(more));
        return ivfuse(args.toArray(String[]::new));
    }

    private void assertNothingWritten() throws Exception {
        try (var files = Files.list(dir)) {
            assertEquals(List.of("ir.png", "points.csv", "vis.png"), files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.equals("points.yaml")).sorted().toList());
        }
    }

    @Test
    void csvPointsWithAnOutlierGiveTheHomographyTheRmsAndTheOutlier() throws Exception {
        List<String> lines = new ArrayList<>(List.of("x_ir,y_ir,x_vis,y_vis"));
        for (double[] p : new double[][] {{10, 10}, {300, 15}, {20, 230}, {310, 220}, {160, 120}, {80, 60}, {240, 180}}) {
            lines.add(csvLine(p[0], p[1]));
        }
        lines.add("100,100,400,50"); // pair 8: a mis-click, far from where TRUTH puts it
        Path csv = Files.write(dir.resolve("points.csv"), lines);
        Result r = calibrate(csv);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("RMS reprojection error 0.0"), r.out());
        assertTrue(r.out().contains("over 7 inlier pairs; 1 outliers (pairs 8,"), r.out());
        Calibration c = Calibration.load(out);
        double[] got = new double[3];
        double[] want = new double[3];
        c.irToVis().apply(200, 100, got);
        TRUTH.apply(200, 100, want);
        assertEquals(want[0], got[0], 0.05);
        assertEquals(want[1], got[1], 0.05);
        assertTrue(Files.size(dir.resolve("calib.overlay.png")) > 0, "overlay picture written");
    }

    @Test
    void fileStoragePointsFitAnAffineFromThree() throws Exception {
        Homography affine = Homography.affine(2, 0.1, 5, -0.1, 2, 7);
        double[][] ir = {{10, 10}, {300, 20}, {40, 230}};
        StringBuilder irRows = new StringBuilder();
        StringBuilder visRows = new StringBuilder();
        double[] v = new double[3];
        for (double[] p : ir) {
            affine.apply(p[0], p[1], v);
            irRows.append(irRows.isEmpty() ? "" : ", ").append(p[0]).append(", ").append(p[1]);
            visRows.append(visRows.isEmpty() ? "" : ", ").append(v[0]).append(", ").append(v[1]);
        }
        Path yaml = Files.writeString(dir.resolve("points.yaml"), "%YAML:1.0\n---\n"
                + "ir_points: !!opencv-matrix\n   rows: 3\n   cols: 2\n   dt: d\n   data: [ " + irRows + " ]\n"
                + "vis_points: !!opencv-matrix\n   rows: 3\n   cols: 2\n   dt: d\n   data: [ " + visRows + " ]\n");
        Result r = calibrate(yaml, "--model", "affine");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("over 3 inlier pairs; 0 outliers"), r.out());
        Calibration c = Calibration.load(out);
        assertEquals(Calibration.Model.AFFINE, c.model());
        assertEquals(2, c.irToVis().get(0, 0), 1e-6);
        assertEquals(7, c.irToVis().get(1, 2), 1e-6);
    }

    @Test
    void fewerPointsThanTheModelNeeds() throws Exception {
        Path csv = Files.write(dir.resolve("points.csv"), List.of(csvLine(10, 10), csvLine(300, 15), csvLine(20, 230)));
        assertRefused(calibrate(csv), "3 point pairs given; a homography needs at least 4");
        assertNothingWritten();
    }

    @Test
    void collinearPoints() throws Exception {
        Path csv = Files.write(dir.resolve("points.csv"), List.of(csvLine(10, 10), csvLine(50, 50), csvLine(100, 100),
                csvLine(150, 150), csvLine(190, 190)));
        assertRefused(calibrate(csv), "the IR points are collinear");
        assertNothingWritten();
    }

    @Test
    void aPointOutsideTheImage() throws Exception {
        Path csv = Files.write(dir.resolve("points.csv"), List.of(csvLine(10, 10), csvLine(300, 15), csvLine(20, 230),
                "400,100,500,200"));
        assertRefused(calibrate(csv), "point pair 4: IR point (400.0, 100.0) is outside the IR image (320x240)");
        assertNothingWritten();
    }

    @Test
    void aBlankIrImageIsRefusedAutomatically() throws Exception {
        Path vis = SharedFiles.require("data/roadscene/train/vis/FLIR_06660.jpg");
        Files.writeString(dir.resolve("points.csv"), ""); // keeps assertNothingWritten's listing the same
        Result r = ivfuse("calibrate", "--ir", irImage.toString(), "--vis", vis.toString(), "-o", out.toString());
        assertRefused(r, "the IR image is blank");
        assertNothingWritten();
    }

    /** The IR image of a registered RoadScene pair moved by a known warp G: calibration must undo G. */
    @Test
    void recoversAKnownWarpOfARealInfraredImage() {
        Path irSource = SharedFiles.require("data/roadscene/train/ir/FLIR_06660.jpg");
        Path visSource = SharedFiles.require("data/roadscene/train/vis/FLIR_06660.jpg");
        Mat ir = imread(irSource.toString(), IMREAD_GRAYSCALE);
        Mat vis = imread(visSource.toString(), IMREAD_GRAYSCALE);
        FrameSize irSize = new FrameSize(ir.cols(), ir.rows());
        FrameSize visSize = new FrameSize(vis.cols(), vis.rows());
        // IR'(q) = IR(G q): 6% larger, 3 degrees, shifted by (-15, 9) px
        double a = Math.toRadians(3);
        Homography g = Homography.of(1.06 * Math.cos(a), -1.06 * Math.sin(a), -15, 1.06 * Math.sin(a),
                1.06 * Math.cos(a), 9, 0, 0, 1);
        Mat moved = new Mat();
        warpPerspective(ir, moved, g.toMat(), new Size(ir.cols(), ir.rows()), INTER_LINEAR | WARP_INVERSE_MAP, 0,
                new Scalar(0.0));
        Path movedFile = dir.resolve("moved.png");
        imwrite(movedFile.toString(), moved);
        Result r = ivfuse("calibrate", "--ir", movedFile.toString(), "--vis", visSource.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        Homography truth = Homography.rescaling(irSize, visSize).after(g);
        Homography got = Calibration.load(out).irToVis();
        double[] e = new double[3];
        double[] t = new double[3];
        for (double[] p : new double[][] {{100, 100}, {ir.cols() / 2.0, ir.rows() / 2.0}, {ir.cols() - 100, ir.rows() - 80}}) {
            got.apply(p[0], p[1], e);
            truth.apply(p[0], p[1], t);
            assertTrue(Math.hypot(e[0] - t[0], e[1] - t[1]) < 3, "error at " + p[0] + "," + p[1] + ": " + r.out());
        }
        assertTrue(Files.exists(dir.resolve("calib.overlay.png")));
        ir.close();
        vis.close();
        moved.close();
    }

    /** IR of one scene, visible of another: refused with exit 2, the guess only under .unconfirmed. */
    @Test
    void imagesOfDifferentScenesAreRefused() throws Exception {
        Path ir = SharedFiles.require("data/roadscene/train/ir/FLIR_06660.jpg");
        Path vis = SharedFiles.require("data/m3svd/frames/0111_1716/vis/0000.png");
        Result r = ivfuse("calibrate", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().strip().startsWith("ivfuse: error: calibration refused: confidence"), r.err());
        assertFalse(Files.exists(out), "no calibration file");
        assertTrue(Files.exists(dir.resolve("calib.unconfirmed.yaml")), "the best guess under another name");
        assertTrue(Files.exists(dir.resolve("calib.unconfirmed.overlay.png")), "and its overlay");
    }
}
