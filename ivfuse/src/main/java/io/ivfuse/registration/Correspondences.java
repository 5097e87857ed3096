package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.FileNode;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads IR/visible point correspondences for {@code calibrate --points}: a CSV file of lines
 * {@code x_ir,y_ir,x_vis,y_vis} (pixels; an optional header line, {@code #} comments), or an OpenCV
 * FileStorage file ({@code .yaml}, {@code .yml}, {@code .xml}, {@code .json}) with two Nx2
 * {@code !!opencv-matrix} entries {@code ir_points} and {@code vis_points}.
 */
public final class Correspondences {
    private Correspondences() {
    }

    /** One IR pixel and the visible pixel showing the same scene point. */
    public record Pair(double xIr, double yIr, double xVis, double yVis) {
    }

    public static List<Pair> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("points file " + file + " does not exist or is not a file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean storage = name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".xml") || name.endsWith(".json");
        return storage ? readStorage(file) : readCsv(file);
    }

    private static List<Pair> readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IvfuseException("points file " + file + " could not be read: " + e.getMessage(), e);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*[,;\\t]\\s*");
            if (pairs.isEmpty() && !f[0].isEmpty() && !Character.isDigit(f[0].charAt(0)) && f[0].charAt(0) != '-'
                    && f[0].charAt(0) != '.') {
                continue; // header, e.g. x_ir,y_ir,x_vis,y_vis
            }
            if (f.length != 4) {
                throw new IvfuseException("points file " + file + " line " + (i + 1) + ": expected x_ir,y_ir,x_vis,y_vis,"
                        + " got " + f.length + " fields");
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                try {
                    v[k] = Double.parseDouble(f[k]);
                } catch (NumberFormatException e) {
                    throw new IvfuseException("points file " + file + " line " + (i + 1) + ": '" + f[k] + "' is not a number");
                }
                if (!Double.isFinite(v[k])) {
                    throw new IvfuseException("points file " + file + " line " + (i + 1) + ": '" + f[k] + "' is not finite");
                }
            }
            pairs.add(new Pair(v[0], v[1], v[2], v[3]));
        }
        return pairs;
    }

    private static List<Pair> readStorage(Path file) {
        FileStorage fs;
        try {
            fs = new FileStorage(file.toString(), FileStorage.READ);
        } catch (RuntimeException e) {
            throw new IvfuseException("points file " + file + " is not an OpenCV FileStorage file: "
                    + CalibrationFile.cvMessage(e), e);
        }
        try (fs) {
            if (!fs.isOpened()) {
                throw new IvfuseException("points file " + file + " could not be opened as an OpenCV FileStorage file");
            }
            double[][] ir = points(fs, file, "ir_points");
            double[][] vis = points(fs, file, "vis_points");
            if (ir.length != vis.length) {
                throw new IvfuseException("points file " + file + ": 'ir_points' has " + ir.length + " rows but 'vis_points' "
                        + vis.length);
            }
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < ir.length; i++) {
                pairs.add(new Pair(ir[i][0], ir[i][1], vis[i][0], vis[i][1]));
            }
            return pairs;
        }
    }

    private static double[][] points(FileStorage fs, Path file, String key) {
        String where = "points file " + file + ": key '" + key + "'";
        try (FileNode node = fs.get(key); Mat raw = new Mat(); Mat empty = new Mat(); Mat m = new Mat()) {
            if (node.isNone()) {
                throw new IvfuseException(where + " is missing (expected Nx2 'ir_points' and 'vis_points' matrices)");
            }
            try {
                opencv_core.read(node, raw, empty);
            } catch (RuntimeException e) {
                throw new IvfuseException(where + " is not a valid !!opencv-matrix: " + CalibrationFile.cvMessage(e), e);
            }
            if (raw.empty() || raw.cols() != 2 || raw.channels() != 1) {
                throw new IvfuseException(where + " must be an Nx2 single-channel !!opencv-matrix");
            }
            raw.convertTo(m, CV_64F);
            double[][] out = new double[m.rows()][2];
            try (DoubleIndexer idx = m.createIndexer()) {
                for (int r = 0; r < out.length; r++) {
                    out[r][0] = idx.get(r, 0);
                    out[r][1] = idx.get(r, 1);
                }
            }
            return out;
        }
    }
}
