package io.ivfuse.quality.evaluation;

import io.ivfuse.IvfuseException;
import io.ivfuse.quality.metric.MetricImage;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What an exposure pair must be for the MEF metrics to mean something, checked before it is
 * measured: an exposure that is one value all over (all black, all white) is an error for the
 * pair; different sizes (the over-exposure is resized to the under-exposure), identical
 * exposures and gray mixed with colour are warnings naming the files.
 */
final class ExposureChecks {

    private ExposureChecks() {
    }

    /** The over-exposure to measure against {@code under}: itself, or resized to its size. */
    static MetricImage check(PairSet.Pair p, MetricImage under, MetricImage over, EvaluationResult result) {
        flat(p.under(), under);
        flat(p.over(), over);
        if (under.isColour() != over.isColour()) {
            Path gray = under.isColour() ? p.over() : p.under();
            result.warning("pair '" + p.name() + "': " + gray + " is gray and the other exposure colour: "
                    + "the gray one is used for every channel");
        }
        if (!under.sameSize(over)) {
            result.warning("pair '" + p.name() + "': " + p.over() + " is " + over.width() + "x" + over.height() + " but "
                    + p.under() + " is " + under.width() + "x" + under.height() + ": resized (bilinear) to "
                    + under.width() + "x" + under.height() + ", not registered");
            over = ImageFiles.read(p.over(), under.width(), under.height());
        } else if (Arrays.deepEquals(under.channels(), over.channels())) {
            result.warning("pair '" + p.name() + "': " + p.under() + " and " + p.over()
                    + " are identical: not an exposure bracket, its MEF scores say nothing about fusion");
        }
        return over;
    }

    private static void flat(Path file, MetricImage img) {
        double first = img.channel(0)[0];
        for (double[] c : img.channels()) {
            for (double v : c) {
                if (v != first) {
                    return;
                }
            }
        }
        String what = first == 0 ? "all black" : first == 255 ? "all white" : "one value (" + (int) first + ") all over";
        throw new IvfuseException("exposure " + file + " is " + what + ": it carries no detail to fuse");
    }
}
