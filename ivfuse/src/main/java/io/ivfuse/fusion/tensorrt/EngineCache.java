package io.ivfuse.fusion.tensorrt;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialised TensorRT engines on disk, one file per {@link EngineCacheKey}. Each file starts with a
 * header: a magic line, the key's canonical line and the SHA-256 of the plan, so a truncated or
 * overwritten file, or one whose name collides, is found here and rebuilt rather than handed to
 * TensorRT. Files are written to a temporary name and moved into place, so a crash leaves none half
 * written. Default folder: {@code ~/.cache/ivfuse/tensorrt} (engine parameter {@code cache_dir}).
 */
public final class EngineCache {
    private static final Logger log = LoggerFactory.getLogger(EngineCache.class);
    private static final String MAGIC = "ivfuse-tensorrt-engine 1";

    private final Path folder;

    /** Creates the folder if needed; an error naming it when it cannot be created or written. */
    public EngineCache(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw unwritable(e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "not a folder" : "cannot create it (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw unwritable(Files.isDirectory(folder) ? "not writable" : "not a folder");
        }
    }

    private IvfuseException unwritable(String why) {
        return new IvfuseException("TensorRT engine cache " + folder + ": " + why
                + " (set fusion.params cache_dir to a writable folder)");
    }

    public static Path defaultFolder() {
        return Path.of(System.getProperty("user.home"), ".cache", "ivfuse", "tensorrt");
    }

    public Path file(EngineCacheKey key) {
        return folder.resolve(key.fileName());
    }

    /** The cached plan for {@code key}, or null when there is none or the file is not a sound one (logged, then rebuilt). */
    public byte[] load(EngineCacheKey key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            log.warn("TensorRT engine cache {}: cannot read ({}); rebuilding", file, e.getMessage());
            return null;
        }
        String problem = check(all, key);
        if (problem != null) {
            log.warn("TensorRT engine cache {}: {}; rebuilding", file, problem);
            return null;
        }
        return Arrays.copyOfRange(all, headerLength(all), all.length);
    }

    /** Why {@code all} is not a sound cache file for {@code key}, or null. */
    private static String check(byte[] all, EngineCacheKey key) {
        int header = headerLength(all);
        if (header < 0) {
            return "no ivfuse header (corrupt or foreign file)";
        }
        String[] lines = new String(all, 0, header, StandardCharsets.UTF_8).split("\n");
        if (!MAGIC.equals(lines[0])) {
            return "no ivfuse header (corrupt or foreign file)";
        }
        if (!key.canonical().equals(lines[1])) {
            return "written for another key (" + lines[1] + ")";
        }
        byte[] plan = Arrays.copyOfRange(all, header, all.length);
        if (!EngineCacheKey.sha256(plan).equals(lines[2])) {
            return "corrupt (checksum of the " + plan.length + "-byte plan does not match)";
        }
        return null;
    }

    /** Bytes up to and including the third newline, or -1 when the header is not there. */
    private static int headerLength(byte[] all) {
        int newlines = 0;
        for (int i = 0; i < Math.min(all.length, 4096); i++) {
            if (all[i] == '\n' && ++newlines == 3) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Stores {@code plan} for {@code key}, replacing any file there. */
    public Path store(EngineCacheKey key, ByteBuffer plan) {
        Path file = file(key);
        byte[] bytes = new byte[plan.remaining()];
        plan.duplicate().get(bytes);
        byte[] header = (MAGIC + "\n" + key.canonical() + "\n" + EngineCacheKey.sha256(bytes) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(folder, ".writing-", ".engine");
            try (var out = Files.newOutputStream(tmp)) {
                out.write(header);
                out.write(bytes);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // the write already failed
            }
            throw new IvfuseException("TensorRT engine cache " + file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
