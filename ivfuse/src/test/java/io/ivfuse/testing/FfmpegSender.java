package io.ivfuse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled ffmpeg streaming a clip in real time ({@code -re}) on 127.0.0.1, the far end of a
 * network input: a UDP sender, an SRT listener, or a one-client RTMP or HTTP server
 * ({@code -listen 1}). Its output goes to a log file; {@link #logTail()} belongs in assertion
 * messages. {@link #close()} stops it and waits for it to exit.
 *
 * <pre>
 * try (FfmpegSender s = FfmpegSender.start(log, clip, "udp://127.0.0.1:" + port, "-c", "copy", "-f", "mpegts")) {
 *     ... read udp://127.0.0.1:port ...
 * }
 * </pre>
 */
public final class FfmpegSender implements AutoCloseable {
    private static final int TAIL_CHARS = 3000;
    private final Process process;
    private final Path log;

    private FfmpegSender(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code ffmpeg -re -i clip <outputOptions> url}. */
    public static FfmpegSender start(Path log, Path clip, String url, String... outputOptions) {
        List<String> args = new ArrayList<>(List.of("-nostats", "-loglevel", "info", "-re", "-i", clip.toString()));
        args.addAll(List.of(outputOptions));
        args.add(url);
        return new FfmpegSender(FfmpegCli.start(log, args.toArray(String[]::new)), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** True when ffmpeg has exited because its port was taken (worth a retry on another port). */
    public boolean lostItsPort() {
        return !process.isAlive() && log().contains("Address already in use");
    }

    /** The end of ffmpeg's log, labelled, for assertion messages. */
    public String logTail() {
        String text = log();
        return "\n--- ffmpeg sender (" + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") "
                + log + " ---\n" + text.substring(Math.max(0, text.length() - TAIL_CHARS));
    }

    private String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops ffmpeg (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
