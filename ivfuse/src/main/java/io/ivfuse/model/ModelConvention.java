package io.ivfuse.model;

import io.ivfuse.IvfuseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ivfuse's convention for fusion networks, stored in an ONNX file's {@code metadata_props}, so any
 * network that follows it runs in the {@code onnxruntime} engine without code:
 *
 * <dl>
 * <dt>{@value #MODE}</dt><dd>the fusion mode the network implements: {@code ir-vis} (the default)
 * or {@code mef} (two exposures of one scene).</dd>
 * <dt>{@value #INPUTS}</dt><dd>the graph input names, comma separated, in the order visible
 * luminance (Y), infrared (gray); in mode {@code mef}, the under-exposure's luminance, then the
 * over-exposure's. Each input is a float tensor of shape [N, 1, H, W] with dynamic H and W.
 * Example {@code vi,ir}, {@code under,over}.</dd>
 * <dt>{@value #OUTPUT}</dt><dd>the graph output holding the fused luminance, [N, 1, H, W]; other
 * outputs (intermediate features, say) are ignored. Default: the first output.</dd>
 * <dt>{@value #RANGE}</dt><dd>{@code lo,hi}: the value range of inputs and output. An 8-bit
 * value v enters as {@code lo + (hi - lo) * v / 255}; the output maps back the same way.
 * Default {@code 0,1}.</dd>
 * <dt>{@value #SIZE_MULTIPLE}</dt><dd>H and W must be multiples of this (for poolings to line
 * up). ivfuse pads each frame on the bottom and right by reflection up to the next multiple and
 * crops the output back. Default 1.</dd>
 * <dt>{@value #OUTPUT_ACTIVATION}</dt><dd>what ivfuse applies to the output, comma-separated
 * steps in order, from {@code tanh}, {@code sigmoid}, {@code clamp} (to the range), before
 * rounding to 8 bits ({@code floor(255 * x + 0.5)}); an activation already inside the graph is
 * not repeated here. Default {@code clamp}. The imported SAGE student ends in a Tanh inside the
 * graph and declares {@code clamp}, as its authors clamp its output to [0, 1].</dd>
 * </dl>
 *
 * Informational keys: {@value #ARCHITECTURE}, {@value #DESCRIPTION}, {@value #SOURCE},
 * {@value #LICENSE}.
 *
 * @param visibleInput  name of the visible-luminance input
 * @param infraredInput name of the infrared input
 * @param output        name of the fused output, or null for the first one
 * @param rangeLow      value of 8-bit 0
 * @param rangeHigh     value of 8-bit 255
 * @param sizeMultiple  H and W multiple the network needs
 * @param activation    steps ivfuse applies to the output
 * @param mode          {@value #IR_VIS} or {@value #MEF}; in mode mef visibleInput is the under-exposure
 *                      and infraredInput the over-exposure
 */
public record ModelConvention(String visibleInput, String infraredInput, String output, float rangeLow,
                              float rangeHigh, int sizeMultiple, List<Activation> activation, String mode) {

    public static final String MODE = "ivfuse.mode";
    public static final String INPUTS = "ivfuse.inputs";
    public static final String OUTPUT = "ivfuse.output";
    public static final String RANGE = "ivfuse.range";
    public static final String SIZE_MULTIPLE = "ivfuse.size_multiple";
    public static final String OUTPUT_ACTIVATION = "ivfuse.output_activation";
    public static final String ARCHITECTURE = "ivfuse.architecture";
    public static final String DESCRIPTION = "ivfuse.description";
    public static final String SOURCE = "ivfuse.source";
    public static final String LICENSE = "ivfuse.license";
    /** Values of {@value #MODE}, spelled as {@code --mode} spells them. */
    public static final String IR_VIS = "ir-vis";
    public static final String MEF = "mef";

    /** One post-processing step on the network's output. */
    public enum Activation { TANH, SIGMOID, CLAMP }

    /** A network of mode {@value #IR_VIS}. */
    public ModelConvention(String visibleInput, String infraredInput, String output, float rangeLow, float rangeHigh,
                           int sizeMultiple, List<Activation> activation) {
        this(visibleInput, infraredInput, output, rangeLow, rangeHigh, sizeMultiple, activation, IR_VIS);
    }

    public ModelConvention {
        activation = List.copyOf(activation);
        if (!mode.equals(IR_VIS) && !mode.equals(MEF)) {
            throw new IllegalArgumentException("mode must be " + IR_VIS + " or " + MEF + ", got " + mode);
        }
        if (sizeMultiple < 1) {
            throw new IllegalArgumentException("size multiple must be >= 1");
        }
        if (!(rangeHigh > rangeLow)) {
            throw new IllegalArgumentException("range high must exceed low");
        }
    }

    /** Reads the convention from a model's metadata; {@code source} names the model in errors. */
    public static ModelConvention fromMetadata(Map<String, String> metadata, String source) {
        String inputs = metadata.get(INPUTS);
        if (inputs == null) {
            throw new IvfuseException(source + " does not follow the ivfuse model convention: metadata key '"
                    + INPUTS + "' is missing");
        }
        String mode = metadata.getOrDefault(MODE, IR_VIS).trim().toLowerCase(Locale.ROOT);
        if (!mode.equals(IR_VIS) && !mode.equals(MEF)) {
            throw new IvfuseException(source + ": metadata '" + MODE + "' must be " + IR_VIS + " or " + MEF + ", got '"
                    + metadata.get(MODE) + "'");
        }
        String[] names = inputs.split(",");
        if (names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
            throw new IvfuseException(source + ": metadata '" + INPUTS + "' must name two inputs ("
                    + (mode.equals(MEF) ? "under,over" : "visible,infrared") + "), got '" + inputs + "'");
        }
        float lo = 0f;
        float hi = 1f;
        String range = metadata.get(RANGE);
        if (range != null) {
            String[] r = range.split(",");
            try {
                lo = Float.parseFloat(r[0].trim());
                hi = Float.parseFloat(r[1].trim());
            } catch (RuntimeException e) {
                throw new IvfuseException(source + ": metadata '" + RANGE + "' must be 'lo,hi', got '" + range + "'");
            }
            if (r.length != 2 || !(hi > lo)) {
                throw new IvfuseException(source + ": metadata '" + RANGE + "' must be 'lo,hi' with hi > lo, got '" + range + "'");
            }
        }
        int multiple = 1;
        String m = metadata.get(SIZE_MULTIPLE);
        if (m != null) {
            try {
                multiple = Integer.parseInt(m.trim());
            } catch (NumberFormatException e) {
                multiple = 0;
            }
            if (multiple < 1 || multiple > 1024) {
                throw new IvfuseException(source + ": metadata '" + SIZE_MULTIPLE + "' must be an integer from 1 to 1024, got '" + m + "'");
            }
        }
        List<Activation> steps = new ArrayList<>();
        String act = metadata.getOrDefault(OUTPUT_ACTIVATION, "clamp");
        for (String s : act.split(",")) {
            String step = s.trim().toLowerCase(Locale.ROOT);
            if (step.isEmpty() || step.equals("none") || step.equals("identity")) {
                continue;
            }
            try {
                steps.add(Activation.valueOf(step.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IvfuseException(source + ": metadata '" + OUTPUT_ACTIVATION + "' has unknown step '" + step
                        + "' (known: tanh, sigmoid, clamp)");
            }
        }
        return new ModelConvention(names[0].trim(), names[1].trim(), metadata.get(OUTPUT), lo, hi, multiple, steps, mode);
    }

    /** The convention's keys, for writing into a model. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!mode.equals(IR_VIS)) {
            m.put(MODE, mode);
        }
        m.put(INPUTS, visibleInput + "," + infraredInput);
        if (output != null) {
            m.put(OUTPUT, output);
        }
        m.put(RANGE, format(rangeLow) + "," + format(rangeHigh));
        m.put(SIZE_MULTIPLE, Integer.toString(sizeMultiple));
        List<String> steps = new ArrayList<>();
        for (Activation a : activation) {
            steps.add(a.name().toLowerCase(Locale.ROOT));
        }
        m.put(OUTPUT_ACTIVATION, steps.isEmpty() ? "none" : String.join(",", steps));
        return m;
    }

    private static String format(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }

    /** The padded size of {@code n}: the next multiple of {@link #sizeMultiple}. */
    public int padded(int n) {
        return (n + sizeMultiple - 1) / sizeMultiple * sizeMultiple;
    }
}
