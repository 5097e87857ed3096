package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import java.util.Arrays;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.SVD;

/**
 * An immutable 3x3 projective transform of pixel coordinates, row-major, scaled so that the
 * bottom-right element is 1 when it is not zero. An affine transform is the special case whose last
 * row is (0, 0, 1).
 *
 * <p>Pixel convention: pixel (i, j) is the point x = i, y = j (pixel centres at integer
 * coordinates, as {@code remap}, {@code warpPerspective} and {@code findTransformECC} use), so a
 * frame of width w spans x in [-0.5, w - 0.5].
 */
public final class Homography {
    private static final Homography IDENTITY = new Homography(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] m;

    private Homography(double[] m) {
        this.m = m;
    }

    /** From 9 row-major elements (copied, then scaled so that m22 = 1 when m22 != 0). */
    public static Homography of(double... rowMajor) {
        if (rowMajor.length != 9) {
            throw new IllegalArgumentException("a homography has 9 elements, got " + rowMajor.length);
        }
        double[] m = rowMajor.clone();
        double s = m[8];
        if (s != 0 && s != 1) {
            for (int i = 0; i < 9; i++) {
                m[i] /= s;
            }
        }
        return new Homography(m);
    }

    /** From the 6 row-major elements of a 2x3 affine matrix. */
    public static Homography affine(double... rowMajor2x3) {
        if (rowMajor2x3.length != 6) {
            throw new IllegalArgumentException("an affine matrix has 6 elements, got " + rowMajor2x3.length);
        }
        double[] a = rowMajor2x3;
        return new Homography(new double[] {a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1});
    }

    public static Homography identity() {
        return IDENTITY;
    }

    /**
     * The map between two samplings of the same field of view: a frame of size {@code from}
     * resampled to size {@code to}, the frames' outer edges coinciding (what {@code cv::resize}
     * does): x' = (x + 0.5) * sx - 0.5.
     */
    public static Homography rescaling(FrameSize from, FrameSize to) {
        double sx = (double) to.width() / from.width();
        double sy = (double) to.height() / from.height();
        return new Homography(new double[] {sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1});
    }

    /** This transform after {@code first}: p -> this(first(p)). */
    public Homography after(Homography first) {
        double[] a = m;
        double[] b = first.m;
        double[] c = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                c[3 * r + k] = a[3 * r] * b[k] + a[3 * r + 1] * b[3 + k] + a[3 * r + 2] * b[6 + k];
            }
        }
        return of(c);
    }

    /** The inverse transform (adjugate over determinant); the caller has checked conditioning. */
    public Homography inverse() {
        double[] a = m;
        double det = determinant();
        if (det == 0 || !Double.isFinite(det)) {
            throw new ArithmeticException("singular homography " + this);
        }
        double[] inv = {
            a[4] * a[8] - a[5] * a[7], a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
            a[5] * a[6] - a[3] * a[8], a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
            a[3] * a[7] - a[4] * a[6], a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3]};
        for (int i = 0; i < 9; i++) {
            inv[i] /= det;
        }
        return of(inv);
    }

    public double determinant() {
        double[] a = m;
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6])
                + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    /**
     * Maps (x, y) into {@code out} = (x', y', w) where (x', y') are already divided by w; w is the
     * projective denominator, positive for points in front of the "horizon" of the transform.
     */
    public void apply(double x, double y, double[] out) {
        double w = m[6] * x + m[7] * y + m[8];
        out[0] = (m[0] * x + m[1] * y + m[2]) / w;
        out[1] = (m[3] * x + m[4] * y + m[5]) / w;
        out[2] = w;
    }

    public boolean isAffine() {
        return m[6] == 0 && m[7] == 0 && m[8] == 1;
    }

    /** True when every element is within {@code tolerance} of the identity's. */
    public boolean isIdentity(double tolerance) {
        for (int i = 0; i < 9; i++) {
            if (Math.abs(m[i] - IDENTITY.m[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    public boolean isFinite() {
        for (double v : m) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ratio of the largest to the smallest singular value (OpenCV's SVD), infinite when singular.
     * Only meaningful on a transform between normalised coordinates (see
     * {@link Calibration#normalisedCondition}), since pixel-unit translations dwarf the rest.
     */
    public double conditionNumber() {
        try (Mat a = toMat(); Mat w = new Mat()) {
            SVD.compute(a, w, SVD.NO_UV);
            DoubleIndexer idx = w.createIndexer();
            double max = idx.get(0);
            double min = idx.get(2);
            idx.close();
            return min <= 0 ? Double.POSITIVE_INFINITY : max / min;
        }
    }

    /**
     * Mean distance in pixels between where this and {@code other} send a 20x20 grid of points
     * spanning {@code domain}: the registration error measure of the benchmarks and the
     * calibrator's agreement test.
     */
    public double meanDistance(Homography other, FrameSize domain) {
        double[] pa = new double[3];
        double[] pb = new double[3];
        double sum = 0;
        int n = 20;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double x = (domain.width() - 1) * i / (n - 1.0);
                double y = (domain.height() - 1) * j / (n - 1.0);
                apply(x, y, pa);
                other.apply(x, y, pb);
                sum += Math.hypot(pa[0] - pb[0], pa[1] - pb[1]);
            }
        }
        return sum / (n * n);
    }

    /** Element (row, col). */
    public double get(int row, int col) {
        return m[3 * row + col];
    }

    public double[] toArray() {
        return m.clone();
    }

    /** A new 3x3 CV_64F Mat (the caller closes it). */
    public Mat toMat() {
        Mat mat = new Mat(3, 3, CV_64F);
        try (DoubleIndexer idx = mat.createIndexer()) {
            for (int i = 0; i < 9; i++) {
                idx.put(i / 3, i % 3, m[i]);
            }
        }
        return mat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Homography h && Arrays.equals(m, h.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        return String.format("[%.6g %.6g %.6g; %.6g %.6g %.6g; %.6g %.6g %.6g]",
                m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
    }
}
