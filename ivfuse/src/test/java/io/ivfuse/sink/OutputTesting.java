package io.ivfuse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.FfmpegCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Running {@code ivfuse run} in-process for output tests, and reading back what it wrote. */
final class OutputTesting {
    private OutputTesting() {
    }

    /** Exit code, stdout, the CLI's stderr, the log (everything on System.err meanwhile), the summary JSON. */
    record Run(int exit, String out, String err, String log, JsonNode summary) {
        JsonNode output(String id) {
            JsonNode o = summary.get("outputs").get(id);
            if (o == null) {
                throw new AssertionError("no output '" + id + "' in " + summary.get("outputs"));
            }
            return o;
        }

        String all() {
            return out + err + log + summary;
        }
    }

    /** {@code ivfuse run ARGS --metrics-json ... --progress off}, capturing the log too. */
    static Run ivfuse(Path dir, String... args) {
        Path json = dir.resolve("summary-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--metrics-json", json.toString(), "--progress", "off"));
        InProcessRun r = InProcessRun.execute(json, all);
        return new Run(r.exit(), r.out(), r.err(), r.log(), r.summary());
    }

    static Run ivfuseOk(Path dir, String... args) {
        Run r = ivfuse(dir, args);
        assertEquals(0, r.exit(), "exit code; stderr: " + r.err() + "\nlog:\n" + r.log());
        return r;
    }

    static Path config(Path dir, String name, String... lines) {
        try {
            return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per decoded frame: key frame?, picture type, pts in seconds. */
    record FrameInfo(boolean key, String type, double pts) {
    }

    static List<FrameInfo> frames(String location) {
        // Quiet: decoder complaints (a stream cut short) would land in the JSON.
        FfmpegCli.Result r = FfmpegCli.probe(60, "-v", "quiet", "-select_streams", "v:0", "-show_entries",
                "frame=key_frame,pict_type,pts_time", "-of", "json", location);
        if (r.exitCode() != 0) {
            throw new AssertionError("ffprobe failed on " + location + ":\n" + r.output());
        }
        List<FrameInfo> frames = new ArrayList<>();
        try {
            for (JsonNode f : new ObjectMapper().readTree(r.output()).path("frames")) {
                frames.add(new FrameInfo(f.path("key_frame").asInt() == 1, f.path("pict_type").asText(),
                        f.path("pts_time").asDouble(Double.NaN)));
            }
        } catch (IOException e) {
            throw new AssertionError("ffprobe output of " + location + " is not JSON:\n" + r.output(), e);
        }
        return frames;
    }

    /** Indices of the key frames. */
    static List<Integer> keyFrames(List<FrameInfo> frames) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).key()) {
                keys.add(i);
            }
        }
        return keys;
    }

    static List<Integer> everyNth(int n, int count) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < count; i += n) {
            l.add(i);
        }
        return l;
    }

    /** Mean absolute difference of two equally sized pictures. */
    static double mad(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (double) a.length;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
