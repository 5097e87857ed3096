package io.ivfuse.quality.metric;

import io.ivfuse.IvfuseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whose reference code a metric value follows (see the README's metrics section). */
public enum Convention {
    /** The MATLAB code of the VIFB benchmark: 8-bit inputs as read, colour per channel and averaged. */
    VIFB,
    /** The Python evaluator of CDDFuse and later papers: gray float images from OpenCV BGR2GRAY, rounded. */
    CDDFUSE,
    /**
     * The MATLAB code of the MEFB multi-exposure benchmark: sources are the under- and the
     * over-exposure (in that order), every metric but MEF_SSIM per RGB channel and averaged,
     * MEF_SSIM on rgb2gray of all three images; metric names as MEFB spells them.
     */
    MEFB;

    /** Whether the sources are two exposures (under, over) rather than infrared and visible. */
    public boolean exposures() {
        return this == MEFB;
    }

    /** What the two sources are called in reports, in the order of {@link Triplet}'s sources. */
    public java.util.List<String> sourceNames() {
        return exposures() ? java.util.List.of("under (A)", "over (B)") : java.util.List.of("IR", "visible");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Convention parse(String s) {
        for (Convention c : values()) {
            if (c.id().equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw new IvfuseException("unknown convention '" + s + "' (known: "
                + Arrays.stream(values()).map(Convention::id).collect(Collectors.joining(", ")) + ")");
    }
}
