package io.ivfuse.fusion.onnx;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** A model's bytes and the path that names it in messages. */
    public record Loaded(Path path, byte[] bytes) {
    }

    /**
     * The bytes of {@code file}, or without one of the embedded model (named {@link #RESOURCE});
     * an error naming {@code engine} or the file when there is none or it cannot be read.
     */
    public static Loaded load(Path file, String engine) {
        if (file == null) {
            byte[] b = bytes();
            if (b == null) {
                throw new IvfuseException("the " + engine + " engine needs --model FILE (this build embeds no default model "
                        + RESOURCE + ")");
            }
            return new Loaded(Path.of(RESOURCE), b);
        }
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("model " + file + " does not exist");
        }
        try {
            return new Loaded(file, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IvfuseException("cannot read model " + file + ": " + e.getMessage(), e);
        }
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
