package io.ivfuse.registration;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the infrared camera's pixels land in the visible camera's frame: a 3x3 homography (or a
 * 2x3 affine matrix) that maps <b>IR pixel coordinates to visible pixel coordinates</b>, in pixels,
 * pixel centres at integer coordinates (see {@link Homography}).
 *
 * <p>The matrix holds for the frame sizes it was estimated at, {@code irSize} and {@code visSize}.
 * When the actual frames have other sizes (same fields of view, other resolutions) the matrix is
 * rescaled by {@link #forFrames}. A missing {@code visSize} means "the actual visible size"; a
 * missing {@code irSize} means "the same as visSize", that is the matrix applies to an IR frame
 * first resized to the visible size. So {@link #identity()} copies equal-sized frames and resizes
 * an IR frame of another size onto the visible one.
 *
 * <p>Stored as an OpenCV FileStorage YAML file ({@link #load}, {@link #save}); see
 * {@link CalibrationFile} for the keys.
 */
public final class Calibration {

    /** The motion model the matrix belongs to. */
    public enum Model { HOMOGRAPHY, AFFINE }

    /**
     * Largest accepted condition number of the size-normalised matrix (frames mapped to [-1, 1]²):
     * beyond it the mapping squeezes one direction ten thousand times more than another, which no
     * camera pair does; it is a degenerate (near-singular) calibration.
     */
    static final double MAX_NORMALISED_CONDITION = 1e4;

    /** Frame size assumed for the conditioning test when the calibration declares none. */
    private static final FrameSize NOMINAL = new FrameSize(640, 480);

    private static final Calibration IDENTITY = new Calibration(Model.HOMOGRAPHY, Homography.identity(), null, null);

    private final Model model;
    private final Homography irToVis;
    private final FrameSize irSize;
    private final FrameSize visSize;

    private Calibration(Model model, Homography irToVis, FrameSize irSize, FrameSize visSize) {
        this.model = model;
        this.irToVis = irToVis;
        this.irSize = irSize;
        this.visSize = visSize;
    }

    /** IR and visible frames already registered (up to resolution). */
    public static Calibration identity() {
        return IDENTITY;
    }

    /**
     * A calibration from a matrix mapping IR to visible pixels, estimated at the given sizes (either
     * may be null, see the class comment).
     *
     * @throws IllegalArgumentException when the matrix is not finite, not affine for
     *     {@link Model#AFFINE}, or near-singular
     */
    public static Calibration of(Model model, Homography irToVis, FrameSize irSize, FrameSize visSize) {
        Objects.requireNonNull(model, "model");
        String problem = problem(model, irToVis, irSize, visSize);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new Calibration(model, irToVis, irSize, visSize);
    }

    /** Reads an OpenCV FileStorage calibration file; errors name the file and key. */
    public static Calibration load(Path file) {
        return CalibrationFile.read(file);
    }

    /** Writes this calibration as an OpenCV FileStorage YAML file. */
    public void save(Path file) {
        CalibrationFile.write(this, file);
    }

    /**
     * The IR-to-visible matrix for actual frame sizes: the stored matrix, conjugated by the
     * rescalings from the actual IR size to {@code irSize} and from {@code visSize} to the actual
     * visible size.
     */
    public Homography forFrames(FrameSize ir, FrameSize vis) {
        FrameSize visAt = visSize != null ? visSize : vis;
        FrameSize irAt = irSize != null ? irSize : visAt;
        return Homography.rescaling(visAt, vis).after(irToVis).after(Homography.rescaling(ir, irAt));
    }

    public Model model() {
        return model;
    }

    /** The stored matrix, IR pixels to visible pixels at {@link #irSize()} / {@link #visSize()}. */
    public Homography irToVis() {
        return irToVis;
    }

    /** The IR frame size the matrix was estimated at, or null. */
    public FrameSize irSize() {
        return irSize;
    }

    /** The visible frame size the matrix was estimated at, or null. */
    public FrameSize visSize() {
        return visSize;
    }

    /** What is wrong with this matrix as a calibration, or null when nothing is. */
    static String problem(Model model, Homography h, FrameSize irSize, FrameSize visSize) {
        if (!h.isFinite()) {
            return "matrix has non-finite values " + h;
        }
        if (model == Model.AFFINE && !h.isAffine()) {
            return "an affine calibration must have last row (0, 0, 1), got " + h;
        }
        double condition = normalisedCondition(h, irSize, visSize);
        if (!(condition <= MAX_NORMALISED_CONDITION)) {
            return String.format("matrix is singular or near-singular: condition number %.3g of the size-normalised"
                    + " matrix exceeds %.0e", condition, MAX_NORMALISED_CONDITION);
        }
        return null;
    }

    /**
     * Condition number of the matrix after mapping both frames to [-1, 1]² (so pixel-sized
     * translations and resolution ratios do not count); 1 for identity at equal sizes.
     */
    static double normalisedCondition(Homography h, FrameSize irSize, FrameSize visSize) {
        FrameSize vis = visSize != null ? visSize : NOMINAL;
        FrameSize ir = irSize != null ? irSize : vis;
        return toUnitSquare(vis).after(h).after(toUnitSquare(ir).inverse()).conditionNumber();
    }

    private static Homography toUnitSquare(FrameSize s) {
        return Homography.of(2.0 / s.width(), 0, -1, 0, 2.0 / s.height(), -1, 0, 0, 1);
    }

    @Override
    public String toString() {
        return "Calibration[" + model + " " + irToVis + ", ir " + irSize + ", vis " + visSize + "]";
    }
}
