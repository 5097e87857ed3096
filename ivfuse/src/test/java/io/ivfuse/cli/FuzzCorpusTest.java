package io.ivfuse.cli;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.job.Natives;
import io.ivfuse.testing.DamagedFiles;
import io.ivfuse.testing.DamagedFiles.Damaged;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

/**
 * The fuzz corpus: damaged copies of two short real clips (truncations, bit flips, zeroed,
 * duplicated and swapped blocks, header damage, swapped or duplicated MP4 boxes, Matroska
 * clusters, MPEG-TS packets, AVI chunks) in six containers, each fused with its intact partner
 * through the same entry point as the command line. For every file: ivfuse finishes within
 * {@link #BOUND_SECONDS}, exits 0 or 2, prints no stack trace, and leaves either no output or a
 * playable one holding exactly the frames the summary counts. Every third run is {@code --strict},
 * every other one uses the mpeg4 encoder (quicker) instead of the default. The intact clips must
 * pass {@code --strict} (no false alarm).
 * The corpus is generated into {@code target/fuzz-corpus} (deterministic seed), never committed.
 */
class FuzzCorpusTest {
    private static final long SEED = 20250112L;
    private static final long BOUND_SECONDS = 20;
    private static final String CLIP = "0111_1716";
    private static final Path CORPUS = Path.of("target", "fuzz-corpus");
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s+at [\\w$.]+\\(|Exception in thread|^Caused by: |internal error|\\w+(Exception|Error): ");

    /** Clean clips: name, then how ffmpeg encodes one second of a shared clip (at 320x240, so runs are quick) into it. */
    private static final List<List<String>> CONTAINERS = List.of(
            List.of("mpeg4.mp4", "-c:v", "mpeg4", "-q:v", "4", "-g", "15", "-bf", "2", "-movflags", "+faststart"),
            List.of("mpeg4-moov-last.mp4", "-c:v", "mpeg4", "-q:v", "4", "-g", "15", "-bf", "0"),
            List.of("mpeg4.avi", "-c:v", "mpeg4", "-q:v", "4", "-g", "15", "-bf", "0"),
            List.of("h264.mkv", "-c:v", "libopenh264", "-g", "15", "-bf", "0", "-b:v", "500k"),
            List.of("h264-fragmented.mp4", "-c:v", "libopenh264", "-g", "10", "-bf", "0", "-b:v", "500k",
                    "-movflags", "frag_keyframe+empty_moov+default_base_moof"),
            List.of("h264.ts", "-c:v", "libopenh264", "-g", "15", "-bf", "0", "-b:v", "500k"),
            // 16-bit thermal (the IR path's automatic gain), lossless with per-slice CRCs; 160x120 keeps it small.
            List.of("ffv1-gray16.mkv", "-c:v", "ffv1", "-level", "3", "-slicecrc", "1", "-pix_fmt", "gray16le",
                    "-vf", "scale=160:120"));

    @Test
    void damagedInputsNeverHangCrashOrLeaveABrokenOutput() throws Exception {
        List<Path> clips = SharedFiles.requireAll("data/m3svd/video/ir/" + CLIP + ".mp4", "data/m3svd/video/vis/" + CLIP + ".mp4");
        Path irClip = clips.get(0);
        Path visClip = clips.get(1);
        Natives.ffmpeg();
        List<Case> corpus = build(irClip, visClip);
        assertTrue(corpus.size() >= 200, "corpus of " + corpus.size() + " files");
        for (List<String> container : CONTAINERS) {
            // No false alarm: the intact clips pass --strict, with every frame.
            Path clean = CORPUS.resolve("clean");
            Damaged none = new Damaged(clean.resolve("vis-" + container.get(0)), clean.resolve("vis-" + container.get(0)), "none");
            Run r = ivfuse(new Case(none, false, clean.resolve("ir-" + container.get(0)), clean), List.of("--strict"));
            assertEquals(0, r.exit, container.get(0) + " intact, --strict: " + r.err + r.log);
            assertFalse(r.summary.get("damaged").asBoolean(), container.get(0) + " intact: " + r.summary.get("inputs"));
            assertEquals(30, r.summary.get("frames_out").asInt(), container.get(0) + " intact: " + r.out);
            assertEquals(null, check(r), container.get(0) + " intact");
        }

        List<String> failures = new ArrayList<>();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-corpus-run");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        PrintStream console = System.err;
        try {
            for (int i = 0; i < corpus.size(); i++) {
                Case c = corpus.get(i);
                // Every third run --strict; every other one with the fast mpeg4 encoder, the rest with the default.
                List<String> extra = new ArrayList<>();
                if (i % 3 == 2) {
                    extra.add("--strict");
                }
                if (i % 2 == 1) {
                    extra.addAll(List.of("--codec", "mpeg4"));
                }
                String described = c + (extra.isEmpty() ? "" : " " + String.join(" ", extra));
                long t0 = System.nanoTime();
                Future<Run> run = runner.submit(() -> ivfuse(c, extra));
                Run r;
                try {
                    r = run.get(BOUND_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail(described + ": ivfuse still running after " + BOUND_SECONDS
                            + " s (hang); " + failures.size() + " earlier failures: " + failures);
                    return;
                }
                String problem = check(r);
                if (problem != null) {
                    failures.add(described + ": " + problem);
                }
                String result = String.join("\t", c.damaged.file().getFileName().toString(), c.damaged.damage(),
                        String.join(" ", extra), String.valueOf(r.exit), String.valueOf(r.summary == null ? -1 : r.summary.path("frames_out").asLong()),
                        String.valueOf((System.nanoTime() - t0) / 1_000_000), r.err.strip().replace('\n', ' '),
                        problem == null ? "" : problem.replace('\n', ' '));
                // One line per file as it goes (file, damage, flags, exit, frames out, ms, stderr, problem).
                Files.writeString(CORPUS.resolve("results.tsv"), result + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } finally {
            runner.shutdownNow();
            System.setErr(console); // a run that hung still holds the capture
        }
        System.out.printf("fuzz corpus: %d files in %.1f s, %d failures%n", corpus.size(),
                (System.nanoTime() - started) / 1e9, failures.size());
        assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " corpus files failed");
    }

    /** One corpus entry: the damaged input, its role, and the intact input of the other role. */
    record Case(Damaged damaged, boolean damagedIsIr, Path intact, Path dir) {
        @Override
        public String toString() {
            return (damagedIsIr ? "IR " : "visible ") + damaged;
        }
    }

    record Run(Case c, boolean strict, int exit, String out, String err, String log, Path output, JsonNode summary) {
    }

    private static List<Case> build(Path irClip, Path visClip) throws IOException {
        deleteTree(CORPUS);
        Path clean = Files.createDirectories(CORPUS.resolve("clean"));
        List<Case> cases = new ArrayList<>();
        for (List<String> container : CONTAINERS) {
            String name = container.get(0);
            List<String> encode = container.subList(1, container.size());
            Path ir = cut(irClip, clean.resolve("ir-" + name), encode);
            Path vis = cut(visClip, clean.resolve("vis-" + name), encode);
            for (Damaged d : DamagedFiles.of(vis, Files.createDirectories(CORPUS.resolve("vis")), SEED)) {
                cases.add(new Case(d, false, ir, d.file().getParent()));
            }
            // The IR input gets the damage that ignores the container's structure (IR is read as gray).
            for (Damaged d : DamagedFiles.generic(ir, Files.createDirectories(CORPUS.resolve("ir")), SEED)) {
                cases.add(new Case(d, true, vis, d.file().getParent()));
            }
        }
        // MPEG-TS streams whose pictures change size midway: half a second at 320x240, then at 160x120, and the other way round.
        List<String> h264 = List.of("-c:v", "libopenh264", "-t", "0.5");
        List<String> small = List.of("-vf", "scale=160:120");
        List<String> later = List.of("-output_ts_offset", "0.5");
        Path large1 = cut(visClip, clean.resolve("half-320.ts"), h264);
        Path small2 = cut(visClip, clean.resolve("half-160-later.ts"), concat(h264, small, later));
        Path small1 = cut(visClip, clean.resolve("half-160.ts"), concat(h264, small));
        Path large2 = cut(visClip, clean.resolve("half-320-later.ts"), concat(h264, later));
        for (boolean damageIr : new boolean[] {false, true}) {
            Path dir = CORPUS.resolve(damageIr ? "ir" : "vis");
            Path intact = clean.resolve((damageIr ? "vis" : "ir") + "-h264.ts");
            String role = damageIr ? "ir" : "vis";
            cases.add(new Case(DamagedFiles.joined(large1, small2, dir.resolve(role + "-h264-shrunk-midway.ts")), damageIr, intact, dir));
            cases.add(new Case(DamagedFiles.joined(small1, large2, dir.resolve(role + "-h264-grown-midway.ts")), damageIr, intact, dir));
        }
        return cases;
    }

    /**
     * The first second of a shared clip at 320x240, re-encoded into a container (the arguments
     * come last, so a {@code -t} or {@code -vf} among them wins).
     */
    private static Path cut(Path clip, Path out, List<String> encode) {
        List<String> args = new ArrayList<>(List.of("-nostdin", "-y", "-v", "error", "-i", clip.toString(), "-t", "1", "-an", "-vf", "scale=320:240"));
        args.addAll(encode);
        args.add(out.toString());
        FfmpegCli.Result r = FfmpegCli.run(60, args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not cut " + clip + " into " + out + ":\n" + r.output());
        }
        return out;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    /** {@code ivfuse run} in-process with stdout, stderr and the log (System.err) captured. */
    private static Run ivfuse(Case c, List<String> extra) {
        String base = c.damaged.file().getFileName().toString() + (extra.contains("--strict") ? ".strict" : "");
        Path output = c.dir.resolve(base + ".fused.mp4");
        Path json = c.dir.resolve(base + ".summary.json");
        Path ir = c.damagedIsIr ? c.damaged.file() : c.intact;
        Path vis = c.damagedIsIr ? c.intact : c.damaged.file();
        List<String> args = new ArrayList<>(List.of("run", "--ir", ir.toString(), "--vis", vis.toString(),
                "-o", output.toString(), "--engine", "average", "--metrics-json", json.toString(), "--progress", "off"));
        args.addAll(extra);
        InProcessRun r = InProcessRun.execute(json, args);
        return new Run(c, extra.contains("--strict"), r.exit(), r.out(), r.err(), r.log(), output, r.summary());
    }

    /** What is wrong with a run, or null. */
    private static String check(Run r) {
        String all = r.out + r.err + r.log;
        if (r.exit != 0 && r.exit != 2) {
            return "exit " + r.exit + "; stderr: " + r.err.strip() + "; log: " + tail(r.log);
        }
        if (STACK_TRACE.matcher(all).find()) {
            return "a stack trace or exception was printed: " + tail(all);
        }
        if (r.exit == 2 && !r.err.strip().startsWith("ivfuse: error: ")) {
            return "exit 2 without the one-line error: " + r.err.strip();
        }
        if (r.exit == 2 && r.err.strip().lines().count() != 1) {
            return "exit 2 with more than one line on stderr: " + r.err.strip();
        }
        if (!Files.exists(r.output)) {
            return r.exit == 0 ? "exit 0 but no output file" : null;
        }
        // A run that fails midway keeps what it wrote, without a summary: then any frame count will do.
        long claimed = r.summary == null ? -1 : r.summary.path("frames_out").asLong(-1);
        String playable = playable(r.output, claimed);
        if (playable != null) {
            return "output " + r.output.getFileName() + " " + playable;
        }
        if (r.exit == 0 && claimed <= 0) {
            return "exit 0 with " + claimed + " frames out";
        }
        boolean damaged = r.summary != null && r.summary.path("damaged").asBoolean();
        if (r.strict && r.exit == 0 && damaged) {
            return "--strict exited 0 on damage: " + r.summary.get("inputs");
        }
        if (!r.strict && r.exit == 2 && r.err.contains(" is damaged: ")) {
            return "damage failed a run without --strict: " + r.err.strip();
        }
        return null;
    }

    /** Null when every frame of the file decodes cleanly and there are {@code expected} of them (-1: at least one). */
    private static String playable(Path file, long expected) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(AV_PIX_FMT_YUV420P);
        try {
            g.start();
            long frames = 0;
            long damaged = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                AVFrame av = (AVFrame) f.opaque;
                if (av.decode_error_flags() != 0 || (av.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0) {
                    damaged++;
                }
                frames++;
            }
            if (damaged > 0) {
                return "has " + damaged + " damaged frames of " + frames;
            }
            if (expected < 0 ? frames == 0 : frames != expected) {
                return "holds " + frames + " frames, the summary says " + expected;
            }
            return null;
        } catch (Exception e) {
            return "is not playable: " + e.getMessage();
        } finally {
            try {
                g.release();
            } catch (Exception ignored) {
                // reading only
            }
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 1500 ? "..." + t.substring(t.length() - 1500) : t;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
