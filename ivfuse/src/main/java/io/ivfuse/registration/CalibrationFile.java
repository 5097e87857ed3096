package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import io.ivfuse.IvfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.FileNode;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads and writes {@link Calibration}s as OpenCV FileStorage files, through OpenCV's own
 * FileStorage, so files written by OpenCV tools (C++, Python {@code cv2.FileStorage}) load as they
 * are. Keys:
 * <ul>
 *   <li>{@code H} (or {@code homography}): a 3x3 {@code !!opencv-matrix}, IR pixels to visible
 *       pixels; or {@code A} (or {@code affine}): a 2x3 {@code !!opencv-matrix}. Any numeric
 *       {@code dt}. Exactly one of them.</li>
 *   <li>{@code ir_size}, {@code vis_size} (optional): {@code [ width, height ]}, as OpenCV writes a
 *       {@code cv::Size}: the frame sizes the matrix was estimated at.</li>
 * </ul>
 * YAML, XML and JSON FileStorage files are read (OpenCV detects which); {@link #write} writes YAML.
 */
final class CalibrationFile {
    private static final List<String> HOMOGRAPHY_KEYS = List.of("H", "homography");
    private static final List<String> AFFINE_KEYS = List.of("A", "affine");
    static final String IR_SIZE = "ir_size";
    static final String VIS_SIZE = "vis_size";

    private CalibrationFile() {
    }

    static Calibration read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("calibration file " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IvfuseException("calibration file " + file + " is not readable");
        }
        try (FileStorage fs = open(file)) {
            String hKey = presentKey(fs, HOMOGRAPHY_KEYS);
            String aKey = presentKey(fs, AFFINE_KEYS);
            if (hKey == null && aKey == null) {
                throw new IvfuseException("calibration file " + file + ": no matrix key (expected a 3x3 'H'/'homography'"
                        + " or a 2x3 'A'/'affine' !!opencv-matrix)");
            }
            if (hKey != null && aKey != null) {
                throw new IvfuseException("calibration file " + file + ": both '" + hKey + "' and '" + aKey
                        + "' are present; keep one matrix");
            }
            Calibration.Model model = hKey != null ? Calibration.Model.HOMOGRAPHY : Calibration.Model.AFFINE;
            String key = hKey != null ? hKey : aKey;
            double[] values = readMatrix(fs, file, key, model == Calibration.Model.HOMOGRAPHY ? 3 : 2, 3);
            Homography h = model == Calibration.Model.HOMOGRAPHY ? Homography.of(values) : Homography.affine(values);
            FrameSize irSize = readSize(fs, file, IR_SIZE);
            FrameSize visSize = readSize(fs, file, VIS_SIZE);
            String problem = Calibration.problem(model, h, irSize, visSize);
            if (problem != null) {
                throw new IvfuseException("calibration file " + file + ": key '" + key + "': " + problem);
            }
            return Calibration.of(model, h, irSize, visSize);
        }
    }

    private static FileStorage open(Path file) {
        FileStorage fs;
        try {
            fs = new FileStorage(file.toString(), FileStorage.READ);
        } catch (RuntimeException e) {
            throw new IvfuseException("calibration file " + file + " is not an OpenCV FileStorage (YAML/XML/JSON) file"
                    + " (a YAML one must begin with the line %YAML:1.0): " + cvMessage(e), e);
        }
        if (!fs.isOpened()) {
            fs.close();
            throw new IvfuseException("calibration file " + file + " could not be opened as an OpenCV FileStorage file");
        }
        return fs;
    }

    private static String presentKey(FileStorage fs, List<String> keys) {
        for (String key : keys) {
            try (FileNode node = fs.get(key)) {
                if (!node.isNone()) {
                    return key;
                }
            }
        }
        return null;
    }

    private static double[] readMatrix(FileStorage fs, Path file, String key, int rows, int cols) {
        String where = "calibration file " + file + ": key '" + key + "'";
        try (FileNode node = fs.get(key); Mat raw = new Mat(); Mat empty = new Mat(); Mat m = new Mat()) {
            if (!node.isMap()) {
                throw new IvfuseException(where + " is not an !!opencv-matrix (rows, cols, dt, data)");
            }
            try {
                opencv_core.read(node, raw, empty);
            } catch (RuntimeException e) {
                throw new IvfuseException(where + " is not a valid !!opencv-matrix: " + cvMessage(e), e);
            }
            if (raw.empty()) {
                throw new IvfuseException(where + " is not an !!opencv-matrix (rows, cols, dt, data)");
            }
            if (raw.dims() != 2 || raw.channels() != 1 || raw.rows() != rows || raw.cols() != cols) {
                throw new IvfuseException(where + " must be a " + rows + "x" + cols + " single-channel matrix, got "
                        + raw.rows() + "x" + raw.cols() + (raw.channels() == 1 ? "" : "x" + raw.channels()));
            }
            raw.convertTo(m, CV_64F);
            double[] values = new double[rows * cols];
            try (DoubleIndexer idx = m.createIndexer()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = idx.get(i / cols, i % cols);
                    if (!Double.isFinite(values[i])) {
                        throw new IvfuseException(where + " has a non-finite value " + values[i] + " at row "
                                + (i / cols) + ", column " + (i % cols));
                    }
                }
            }
            return values;
        }
    }

    private static FrameSize readSize(FileStorage fs, Path file, String key) {
        try (FileNode node = fs.get(key)) {
            if (node.isNone()) {
                return null;
            }
            String bad = "calibration file " + file + ": key '" + key + "' must be [ width, height ] with positive integers";
            if (!node.isSeq() || node.size() != 2) {
                throw new IvfuseException(bad);
            }
            try (FileNode w = node.at(0); FileNode h = node.at(1)) {
                if (!w.isInt() || !h.isInt() || w.asInt() <= 0 || h.asInt() <= 0) {
                    throw new IvfuseException(bad);
                }
                return new FrameSize(w.asInt(), h.asInt());
            }
        }
    }

    static void write(Calibration calibration, Path file) {
        FileStorage fs;
        try {
            fs = new FileStorage(file.toString(), FileStorage.WRITE | FileStorage.FORMAT_YAML);
        } catch (RuntimeException e) {
            throw new IvfuseException("cannot write calibration file " + file + ": " + cvMessage(e), e);
        }
        try (fs) {
            if (!fs.isOpened()) {
                throw new IvfuseException("cannot write calibration file " + file);
            }
            boolean affine = calibration.model() == Calibration.Model.AFFINE;
            fs.writeComment(" " + (affine ? "A" : "H") + " maps IR pixel coordinates to visible pixel coordinates"
                    + " (pixel centres at integers), at ir_size -> vis_size", false);
            try (Mat h = calibration.irToVis().toMat(); Mat rows = affine ? h.rowRange(0, 2) : h.rowRange(0, 3)) {
                fs.write(affine ? "A" : "H", rows);
            }
            writeSize(fs, IR_SIZE, calibration.irSize());
            writeSize(fs, VIS_SIZE, calibration.visSize());
            fs.release();
        } catch (RuntimeException e) {
            if (e instanceof IvfuseException ie) {
                throw ie;
            }
            throw new IvfuseException("cannot write calibration file " + file + ": " + cvMessage(e), e);
        }
    }

    /** A cv::Size the way OpenCV writes one: a flow sequence [ width, height ]. */
    private static void writeSize(FileStorage fs, String key, FrameSize size) {
        if (size == null) {
            return;
        }
        fs.startWriteStruct(key, FileNode.SEQ | FileNode.FLOW);
        opencv_core.write(fs, "", size.width());
        opencv_core.write(fs, "", size.height());
        fs.endWriteStruct();
    }

    /** The useful part of an OpenCV exception message, on one line. */
    static String cvMessage(RuntimeException e) {
        String msg = String.valueOf(e.getMessage());
        int at = msg.indexOf("error: ");
        if (at >= 0) {
            msg = msg.substring(at + "error: ".length());
        }
        return msg.replaceAll("\\s+", " ").trim();
    }
}
