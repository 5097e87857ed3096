package io.ivfuse.fusion.onnx;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models ivfuse uses when none is named, one per fusion mode, shipped inside the jar:
 * {@code nano} for {@code ir-vis}, the real-time student distilled from sage-s by {@code tools/distill}
 * (about 440 multiply-accumulates per pixel), and {@code mef-pyramid} for {@code mef}, the exposure
 * fusion student (a Laplacian-pyramid blend with learned weights) trained by {@code tools/distill} on
 * synthetic brackets ({@code configs/distill-mef-pyramid.yaml}).
 */
public final class DefaultModel {
    /** Class-path resource of the default {@code ir-vis} model. */
    public static final String RESOURCE = "models/nano.onnx";
    /** The name users see. */
    public static final String NAME = "nano";
    /** Class-path resource of the default {@code mef} model. */
    public static final String MEF_RESOURCE = "models/mef-pyramid.onnx";

    private static final Map<String, byte[]> cached = new ConcurrentHashMap<>();

    private DefaultModel() {
    }

    /** The resource of the default model of {@code mode}. */
    public static String resource(FusionMode mode) {
        return mode == FusionMode.MEF ? MEF_RESOURCE : RESOURCE;
    }

    /** Whether this build embeds the default {@code ir-vis} model. */
    public static boolean isEmbedded() {
        return isEmbedded(FusionMode.IR_VIS);
    }

    /** Whether this build embeds the default model of {@code mode}. */
    public static boolean isEmbedded(FusionMode mode) {
        return DefaultModel.class.getClassLoader().getResource(resource(mode)) != null;
    }

    /** A model's bytes and the path that names it in messages. */
    public record Loaded(Path path, byte[] bytes) {
    }

    /** As {@link #load(Path, String, FusionMode)} in mode {@code ir-vis}. */
    public static Loaded load(Path file, String engine) {
        return load(file, engine, FusionMode.IR_VIS);
    }

    /**
     * The bytes of {@code file}, or without one of the embedded model of {@code mode} (named by its
     * resource); an error naming {@code engine} or the file when there is none or it cannot be read.
     */
    public static Loaded load(Path file, String engine, FusionMode mode) {
        if (file == null) {
            byte[] b = bytes(mode);
            if (b == null) {
                throw new IvfuseException("the " + engine + " engine needs --model FILE in mode " + mode
                        + " (this build embeds no default model " + resource(mode) + ")");
            }
            return new Loaded(Path.of(resource(mode)), b);
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

    /** The embedded model's bytes for {@code mode}, or null when this build has none. */
    static byte[] bytes(FusionMode mode) {
        String resource = resource(mode);
        byte[] b = cached.get(resource);
        if (b == null) {
            try (InputStream in = DefaultModel.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return null;
                }
                b = in.readAllBytes();
            } catch (IOException e) {
                throw new IvfuseException("cannot read the embedded model " + resource + ": " + e.getMessage(), e);
            }
            cached.put(resource, b);
        }
        return b;
    }
}
