package io.ivfuse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} and {@code ffprobe} programs that ship inside the bytedeco FFmpeg jar (the same
 * FFmpeg build ivfuse links), run as separate processes: an independent reader of what ivfuse
 * writes, or a producer of test streams.
 */
public final class FfmpegCli {
    private FfmpegCli() {
    }

    /** Path of the bundled {@code ffmpeg} executable (extracted by JavaCPP on first use). */
    public static String ffmpeg() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    public static String ffprobe() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /** A started ffmpeg process with its combined output going to {@code log}. */
    public static Process start(Path log, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ffmpeg());
        cmd.add("-hide_banner");
        cmd.add("-nostdin");
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Result of a finished run: exit code and combined output. */
    public record Result(int exitCode, String output) {
    }

    /** Runs ffmpeg to completion (killed after {@code timeoutSeconds}). */
    public static Result run(long timeoutSeconds, String... args) {
        return runProgram(ffmpeg(), timeoutSeconds, args);
    }

    /** Runs ffprobe to completion (killed after {@code timeoutSeconds}). */
    public static Result probe(long timeoutSeconds, String... args) {
        return runProgram(ffprobe(), timeoutSeconds, args);
    }

    private static Result runProgram(String program, long timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.add("-hide_banner");
        cmd.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("ivfuse-ffmpeg", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(killed after " + timeoutSeconds + " s)");
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Number of video frames in a file or stream, counted by decoding every packet with ffprobe. */
    public static int countFrames(String location, long timeoutSeconds) {
        Result r = probe(timeoutSeconds, "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", location);
        String out = r.output().trim();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1).trim();
        if (r.exitCode() != 0 || !last.matches("\\d+")) {
            throw new AssertionError("ffprobe could not count frames of " + location + ":\n" + out);
        }
        return Integer.parseInt(last);
    }

    /** The first video stream's size, as "WIDTHxHEIGHT", from ffprobe. */
    public static String dimensions(String location) {
        Result r = probe(60, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                "-of", "csv=p=0:s=x", location);
        if (r.exitCode() != 0) {
            throw new AssertionError("ffprobe could not read " + location + ":\n" + r.output());
        }
        return r.output().strip();
    }

    /**
     * Decodes every frame of a file with ffmpeg (to nowhere) and returns what it reported as errors:
     * empty when the file plays cleanly from start to end.
     */
    public static String decodeErrors(String location, long timeoutSeconds) {
        Result r = run(timeoutSeconds, "-nostdin", "-v", "error", "-i", location, "-f", "null", "-");
        return r.exitCode() == 0 ? r.output().strip() : "exit " + r.exitCode() + ": " + r.output().strip();
    }
}
