package io.ivfuse.fusion.onnx;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The model ivfuse uses when none is named: {@code nano}, the real-time student distilled from
 * sage-s by {@code tools/distill} (about 440 multiply-accumulates per pixel), shipped inside the jar.
 */
public final class DefaultModel {
    /** Class-path resource of the default model. */
    public static final String RESOURCE = "models/nano.onnx";
    /** The name users see. */
    public static final String NAME = "nano";

    private static volatile byte[] cached;

    private DefaultModel() {
    }

    /** Whether this build embeds the default model. */
    public static boolean isEmbedded() {
        return DefaultModel.class.getClassLoader().getResource(RESOURCE) != null;
    }

    /** The embedded model's bytes, or null when this build has none. */
    static byte[] bytes() {
        byte[] b = cached;
        if (b == null) {
            try (InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return null;
                }
                b = in.readAllBytes();
            } catch (IOException e) {
                throw new IvfuseException("cannot read the embedded model " + RESOURCE + ": " + e.getMessage(), e);
            }
            cached = b;
        }
        return b;
    }
}
