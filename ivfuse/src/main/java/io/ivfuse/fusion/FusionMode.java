package io.ivfuse.fusion;

import io.ivfuse.IvfuseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the inputs of a fusion are, so which engines fit: {@code ir-vis} fuses a visible frame's
 * luminance with a registered infrared frame ({@link FusionSession}); {@code mef} fuses two or more
 * exposures of one colour scene into one well-exposed colour frame ({@link ExposureFusionSession}).
 */
public enum FusionMode {
    IR_VIS("ir-vis"),
    MEF("mef");

    private final String label;

    FusionMode(String label) {
        this.label = label;
    }

    /** The spelling users write ({@code --mode ir-vis}). */
    public String label() {
        return label;
    }

    /** The mode spelled {@code value}; an error naming the allowed spellings otherwise. */
    public static FusionMode parse(String value) {
        for (FusionMode m : values()) {
            if (m.label.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IvfuseException("--mode: unknown value '" + value + "' (use one of "
                + Arrays.stream(values()).map(FusionMode::label).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
