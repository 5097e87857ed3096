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
    CDDFUSE;

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
