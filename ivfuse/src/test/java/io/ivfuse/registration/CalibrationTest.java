package io.ivfuse.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.FileNode;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {
    @TempDir
    Path dir;

    private static final double[] H = {1.02, 0.01, -5.5, -0.01, 0.98, 3.25, 1.0e-05, -2.0e-05, 1.0};

    @Test
    void loadsAFileWrittenByOpenCvFileStorage() {
        Path file = dir.resolve("opencv.yml");
        // Written the way an OpenCV tool would: float matrix under the 'homography' alias, cv::Size keys.
        try (FileStorage fs = new FileStorage(file.toString(), FileStorage.WRITE);
                Mat m = new Mat(3, 3, opencv_core.CV_32F)) {
            try (FloatIndexer idx = m.createIndexer()) {
                for (int i = 0; i < 9; i++) {
                    idx.put(i / 3, i % 3, (float) H[i]);
                }
            }
            fs.write("homography", m);
            fs.startWriteStruct("ir_size", FileNode.SEQ | FileNode.FLOW);
            opencv_core.write(fs, "", 320);
            opencv_core.write(fs, "", 240);
            fs.endWriteStruct();
            fs.release();
        }
        Calibration c = Calibration.load(file);
        assertEquals(Calibration.Model.HOMOGRAPHY, c.model());
        for (int i = 0; i < 9; i++) {
            assertEquals(H[i], c.irToVis().get(i / 3, i % 3), 1e-6 * Math.max(1, Math.abs(H[i])));
        }
        assertEquals(new FrameSize(320, 240), c.irSize());
        assertNull(c.visSize());
    }

    @Test
    void loadsAHandWrittenFixtureInOpenCvsFormat() throws IOException {
        Path file = write("fixture.yaml", """
                %YAML:1.0
                ---
                H: !!opencv-matrix
                   rows: 3
                   cols: 3
                   dt: d
                   data: [ 1.02, 0.01, -5.5, -0.01, 0.98, 3.25, 1.0000000000000001e-05,
                       -2.0000000000000002e-05, 1. ]
                ir_size: [ 320, 240 ]
                vis_size: [ 640, 480 ]
                """);
        Calibration c = Calibration.load(file);
        assertTrue(Homography.of(H).equals(c.irToVis()), c.toString());
        assertEquals(new FrameSize(320, 240), c.irSize());
        assertEquals(new FrameSize(640, 480), c.visSize());
    }

    @Test
    void loadsAnAffineMatrix() throws IOException {
        Path file = write("affine.yaml", """
                %YAML:1.0
                ---
                affine: !!opencv-matrix
                   rows: 2
                   cols: 3
                   dt: f
                   data: [ 0.5, 0., 10., 0., 0.5, -4. ]
                """);
        Calibration c = Calibration.load(file);
        assertEquals(Calibration.Model.AFFINE, c.model());
        assertEquals(Homography.affine(0.5, 0, 10, 0, 0.5, -4), c.irToVis());
    }

    @Test
    void saveWritesOpenCvYamlThatLoadsBack() throws IOException {
        Path file = dir.resolve("saved.yaml");
        Calibration original = Calibration.of(Calibration.Model.HOMOGRAPHY, Homography.of(H),
                new FrameSize(320, 240), new FrameSize(640, 480));
        original.save(file);
        String text = Files.readString(file);
        assertTrue(text.startsWith("%YAML:1.0"), text);
        assertTrue(text.contains("H: !!opencv-matrix"), text);
        assertTrue(text.contains("ir_size: [ 320, 240 ]"), text);
        Calibration back = Calibration.load(file);
        assertEquals(original.irToVis(), back.irToVis());
        assertEquals(original.irSize(), back.irSize());
        assertEquals(original.visSize(), back.visSize());

        Path affineFile = dir.resolve("affine.yaml");
        Calibration.of(Calibration.Model.AFFINE, Homography.affine(0.5, 0, 10, 0, 0.5, -4), null, null).save(affineFile);
        assertTrue(Files.readString(affineFile).contains("A: !!opencv-matrix\n   rows: 2\n   cols: 3"));
        assertEquals(Calibration.Model.AFFINE, Calibration.load(affineFile).model());
    }

    @Test
    void identityCopiesEqualSizesAndResizesOtherSizes() {
        FrameSize vis = new FrameSize(640, 480);
        assertTrue(Calibration.identity().forFrames(vis, vis).isIdentity(0));
        FrameSize half = new FrameSize(320, 240);
        Homography h = Calibration.identity().forFrames(half, vis);
        double[] p = new double[3];
        h.apply(-0.5, -0.5, p); // the frames' outer corners coincide, as in cv::resize
        assertEquals(-0.5, p[0], 1e-12);
        assertEquals(-0.5, p[1], 1e-12);
        h.apply(319.5, 239.5, p);
        assertEquals(639.5, p[0], 1e-12);
        assertEquals(479.5, p[1], 1e-12);
    }

    @Test
    void matrixGivenAtOtherSizesIsRescaled() {
        FrameSize full = new FrameSize(640, 480);
        FrameSize half = new FrameSize(320, 240);
        Homography atFull = Homography.of(H);
        // The same physical mapping, expressed for a half-resolution IR and a half-resolution visible frame.
        Homography atHalf = Homography.rescaling(full, half).after(atFull).after(Homography.rescaling(half, full));
        Calibration c = Calibration.of(Calibration.Model.HOMOGRAPHY, atHalf, half, half);
        Homography used = c.forFrames(full, full);
        assertTrue(RegistrationFixtures.meanGridError(used, atFull, full) < 1e-9);
        // and applied to a half-resolution IR with a full-size visible frame
        Homography mixed = c.forFrames(half, full);
        assertTrue(RegistrationFixtures.meanGridError(mixed, atFull.after(Homography.rescaling(half, full)), half) < 1e-9);
    }

    // ---- errors: one line, naming the file (and the key where there is one) ----

    @Test
    void missingFile() {
        assertError(dir.resolve("nope.yaml"), "does not exist");
    }

    @Test
    void notAFileStorageFile() throws IOException {
        Path file = dir.resolve("image.yaml");
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertError(file, "not an OpenCV FileStorage");
    }

    @Test
    void plainTextIsNotAFileStorageFile() throws IOException {
        assertError(write("notes.yaml", "this is: [ not, closed\n"), "not an OpenCV FileStorage");
    }

    @Test
    void yamlWithoutOpenCvsHeaderIsRejectedWithAHint() throws IOException {
        assertError(write("noheader.yaml", "H: !!opencv-matrix\n   rows: 3\n   cols: 3\n   dt: d\n"
                + "   data: [ 1., 0., 0., 0., 1., 0., 0., 0., 1. ]\n"), "must begin with the line %YAML:1.0");
    }

    @Test
    void noMatrixKey() throws IOException {
        assertError(write("nokey.yaml", "%YAML:1.0\n---\nir_size: [ 320, 240 ]\n"), "no matrix key");
    }

    @Test
    void homographyOfWrongShape() throws IOException {
        assertError(write("shape.yaml", matrixYaml("H", 2, 3, "1., 0., 0., 0., 1., 0.")), "key 'H' must be a 3x3");
    }

    @Test
    void affineOfWrongShape() throws IOException {
        assertError(write("ashape.yaml", matrixYaml("A", 3, 3, "1., 0., 0., 0., 1., 0., 0., 0., 1.")),
                "key 'A' must be a 2x3");
    }

    @Test
    void matrixKeyThatIsNotAMatrix() throws IOException {
        assertError(write("list.yaml", "%YAML:1.0\n---\nH: [ 1, 0, 0, 0, 1, 0, 0, 0, 1 ]\n"),
                "key 'H' is not an !!opencv-matrix");
    }

    @Test
    void nonFiniteValues() throws IOException {
        assertError(write("nan.yaml", matrixYaml("H", 3, 3, "1., 0., .Nan, 0., 1., 0., 0., 0., 1.")),
                "key 'H' has a non-finite value");
        assertError(write("inf.yaml", matrixYaml("H", 3, 3, "1., 0., 0., 0., .Inf, 0., 0., 0., 1.")),
                "key 'H' has a non-finite value");
    }

    @Test
    void singularMatrix() throws IOException {
        assertError(write("singular.yaml", matrixYaml("H", 3, 3, "1., 2., 3., 2., 4., 6., 0., 0., 1.")),
                "key 'H': matrix is singular or near-singular");
    }

    @Test
    void nearSingularMatrix() throws IOException {
        // squeezes x by 1e-5: invertible in floating point, useless as a registration
        assertError(write("flat.yaml", matrixYaml("H", 3, 3, "1e-5, 0., 320., 0., 1., 0., 0., 0., 1.")),
                "key 'H': matrix is singular or near-singular: condition number");
    }

    @Test
    void badSizeKey() throws IOException {
        assertError(write("size.yaml", matrixYaml("H", 3, 3, "1., 0., 0., 0., 1., 0., 0., 0., 1.")
                + "vis_size: [ 640 ]\n"), "key 'vis_size' must be [ width, height ]");
    }

    @Test
    void twoMatrixKeys() throws IOException {
        assertError(write("both.yaml", matrixYaml("H", 3, 3, "1., 0., 0., 0., 1., 0., 0., 0., 1.")
                + matrixYaml("A", 2, 3, "1., 0., 0., 0., 1., 0.").replace("%YAML:1.0\n---\n", "")), "both 'H' and 'A'");
    }

    @Test
    void programmaticSingularMatrixIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(Calibration.Model.HOMOGRAPHY, Homography.of(1, 0, 0, 0, 0, 0, 0, 0, 1), null, null));
        assertThrows(IllegalArgumentException.class,
                () -> Calibration.of(Calibration.Model.AFFINE, Homography.of(H), null, null));
    }

    private static String matrixYaml(String key, int rows, int cols, String data) {
        return "%YAML:1.0\n---\n" + key + ": !!opencv-matrix\n   rows: " + rows + "\n   cols: " + cols
                + "\n   dt: d\n   data: [ " + data + " ]\n";
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void assertError(Path file, String expected) {
        IvfuseException e = assertThrows(IvfuseException.class, () -> Calibration.load(file));
        String msg = e.getMessage();
        assertTrue(msg.contains(file.toString()), "names the file: " + msg);
        assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }
}
