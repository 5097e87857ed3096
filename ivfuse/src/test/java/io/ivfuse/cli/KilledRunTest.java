package io.ivfuse.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.MuxTarget;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 in the middle of a recording, with the default settings (crash-safe files, a keyframe a
 * second): the file plays and holds every frame but those of the last second at most, with every
 * encoder ivfuse picks by itself (those that do not open here are skipped, saying why) and FFV1,
 * and also when the encoder makes a keyframe only every 20 s. A low bitrate makes the loss of
 * FFmpeg's unflushed 256 KiB write buffer show (seconds of video). Encoders with a lookahead of
 * their own (libvpx-vp9, SVT-AV1 by default) lose the frames they hold as well, so they are not
 * held to this bound.
 */
class KilledRunTest {
    static final int FPS = 30;
    /** output.gop_seconds (1) at 30 fps: a fragment or cluster at most this long is in memory at any time. */
    static final int GOP_FRAMES = 30;
    static final int KILL_AFTER_FRAMES = 150;
    private static final Pattern PROGRESS = Pattern.compile("(\\d+)(?:/\\d+)? frames");

    @TempDir
    static Path dir;
    static String cameras;

    @BeforeAll
    static void cameras() throws IOException {
        Path vis = TestVideos.write(dir.resolve("vis.mkv"), 320, 240, FPS, 90, "ffv1", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mkv"), 320, 240, FPS, 90, "ffv1", (i, x, y) -> 255 - TestVideos.gradient(i, y, x));
        // Recordings played as cameras: at 30 fps, replayed when they end, so the run is still going when killed.
        cameras = "input:\n  vis: {uri: '" + vis + "', live: true}\n  ir: {uri: '" + ir + "', live: true}\n";
    }

    static Stream<Arguments> encoders() {
        Map<String, String> none = Map.of();
        return Stream.of(arguments("libopenh264", "mp4", none), arguments("mpeg4", "mp4", none),
                arguments("libx264", "mp4", none), arguments("h264_nvenc", "mp4", none), arguments("ffv1", "mkv", none),
                arguments("libopenh264", "mkv", none), arguments("libopenh264", "mp4", Map.of("g", "600")),
                arguments("mpeg4", "mkv", Map.of("g", "600")));
    }

    @ParameterizedTest(name = "{0} in .{1}, encoder options {2}")
    @MethodSource("encoders")
    void killNineLosesAtMostTheLastSecond(String codec, String ext, Map<String, String> encoderOptions) throws Exception {
        assumeOpens(codec, ext);
        String name = "killed-" + codec + "-" + ext + (encoderOptions.isEmpty() ? "" : "-sparse-keyframes");
        Path out = dir.resolve(name + "." + ext);
        Path log = dir.resolve(name + ".log");
        StringBuilder yaml = new StringBuilder(cameras).append("output:\n  bitrate_kbps: 300\n  options: {");
        encoderOptions.forEach((k, v) -> yaml.append(k).append(": '").append(v).append("'"));
        Path config = Files.writeString(dir.resolve(name + ".yaml"), yaml.append("}\n"));
        Process p = new ProcessBuilder(IvfuseProcess.command("run", "--config", config.toString(), "-o", out.toString(),
                "--codec", codec, "--engine", "average", "--progress", "on"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long written;
        try {
            Deadline.within(90, SECONDS).until(KILL_AFTER_FRAMES + " frames written to " + out,
                    () -> framesWritten(log) >= KILL_AFTER_FRAMES || !p.isAlive());
        } finally {
            written = framesWritten(log); // the progress line is up to 0.5 s old: at least this many were written
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL, not ended by itself:\n" + Files.readString(log, StandardCharsets.UTF_8));
        long recovered = FfmpegCli.countFrames(out.toString(), 60);
        System.out.printf("kill -9 %s .%s %s: %d+ frames written, %d in the file%n", codec, ext, encoderOptions, written, recovered);
        assertTrue(recovered >= written - GOP_FRAMES && recovered > 0,
                "at least " + (written - GOP_FRAMES) + " of the " + written + "+ frames written survive; found " + recovered);
        FfmpegCli.Result decode = FfmpegCli.run(60, "-v", "error", "-i", out.toString(), "-f", "null", "-");
        assertEquals(0, decode.exitCode(), "the killed recording plays:\n" + decode.output());
    }

    /** Frames out, from the last progress line ("[###  ] 123/90 frames ..." or "123 frames ..."). */
    static long framesWritten(Path log) {
        try {
            Matcher m = PROGRESS.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void assumeOpens(String codec, String ext) {
        Natives.ffmpeg();
        String format = "mkv".equals(ext) ? "matroska" : ext;
        try {
            VideoEncoder.choose(new MuxTarget(dir.resolve("probe." + ext).toString(), format, Map.of(), false, "probe"),
                    320, 240, FPS, new EncoderSettings(codec, 4000, null, true));
        } catch (IvfuseException e) {
            assumeTrue(false, codec + " does not open in this build here: " + e.getMessage());
        }
    }
}
