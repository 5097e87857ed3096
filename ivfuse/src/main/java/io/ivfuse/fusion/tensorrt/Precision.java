package io.ivfuse.fusion.tensorrt;

import io.ivfuse.IvfuseException;
import java.util.Locale;

/** The arithmetic TensorRT may build with: FP32 only, or FP16 where faster (a weakly typed network with the FP16 flag). */
public enum Precision {
    FP32, FP16;

    static Precision parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IvfuseException("engine parameter 'precision' must be fp32 or fp16, got '" + value + "'");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
