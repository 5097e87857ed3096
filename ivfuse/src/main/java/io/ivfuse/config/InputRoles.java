package io.ivfuse.config;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionMode;

/**
 * Which configured inputs a run reads, by {@code fusion.mode}: infrared + visible
 * ({@code input.vis}, {@code input.ir}), two exposures ({@code input.under}, {@code input.over}:
 * the under one takes the visible one's place in pairing and registration, the over one the IR
 * one's), or one alternating-exposure stream ({@code input.bracketed}, no second input).
 *
 * @param first      the input that drives pairing and sets the output size
 * @param second     the input registered onto the first; null for a bracketed stream
 * @param firstRole  how messages name the first input ("visible", "under")
 * @param secondRole how messages name the second ("IR", "over"); null for a bracketed stream
 */
public record InputRoles(FusionMode mode, InputSpec first, String firstRole, InputSpec second, String secondRole) {

    public boolean bracketed() {
        return second == null;
    }

    /** The roles of {@code c}; an error naming the keys when the inputs given do not fit the mode. */
    public static InputRoles of(IvfuseConfig c) {
        FusionMode mode = FusionMode.parse(c.fusion.mode == null ? "" : c.fusion.mode);
        IvfuseConfig.Input in = c.input;
        if (mode == FusionMode.IR_VIS) {
            refuse(in.under, "input.under", mode);
            refuse(in.over, "input.over", mode);
            refuse(in.bracketed, "input.bracketed", mode);
            return new InputRoles(mode, in.vis, "visible", in.ir, "IR");
        }
        refuse(in.ir, "input.ir", mode);
        refuse(in.vis, "input.vis", mode);
        if (given(in.bracketed)) {
            if (given(in.under) || given(in.over)) {
                throw new IvfuseException("config key 'input.bracketed' (--bracketed) replaces input.under and input.over:"
                        + " give one bracketed stream or two exposures, not both");
            }
            return new InputRoles(mode, in.bracketed, "bracketed", null, null);
        }
        if (!given(in.under) || !given(in.over)) {
            throw new IvfuseException("config key '" + (given(in.under) ? "input.over" : "input.under") + "' is required"
                    + " with fusion.mode mef: --under and --over (two exposure streams) or --bracketed (one alternating stream)");
        }
        return new InputRoles(mode, in.under, "under", in.over, "over");
    }

    private static void refuse(InputSpec spec, String key, FusionMode mode) {
        if (given(spec)) {
            throw new IvfuseException("config key '" + key + "' does not apply to fusion.mode " + mode
                    + (mode == FusionMode.MEF ? " (use --under/--over or --bracketed)" : " (it is for --mode mef)"));
        }
    }

    private static boolean given(InputSpec spec) {
        return spec != null && spec.uri != null && !spec.uri.isBlank();
    }
}
