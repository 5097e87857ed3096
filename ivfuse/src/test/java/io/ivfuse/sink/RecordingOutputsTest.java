package io.ivfuse.sink;

import static io.ivfuse.sink.OutputTesting.config;
import static io.ivfuse.sink.OutputTesting.frames;
import static io.ivfuse.sink.OutputTesting.ivfuseOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segmented recording and HLS: files that play on their own and together hold every frame once. */
class RecordingOutputsTest {
    static final int FRAMES = 300; // 10 s at 30 fps
    @TempDir
    static Path dir;
    static Path vis;
    static Path ir;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 160, 120, 30, FRAMES, "ffv1", TestVideos::gradient);
        ir = TestVideos.write(dir.resolve("ir.mkv"), 160, 120, 30, FRAMES, "ffv1", (i, x, y) -> 30 + (x * 2 + y + i * 11) % 190);
    }

    static String[] run(Path cfg) {
        return new String[] {"--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average", "--config", cfg.toString()};
    }

    static List<Path> files(Path folder, String glob) throws IOException {
        List<Path> l = new ArrayList<>();
        try (var s = Files.newDirectoryStream(folder, glob)) {
            s.forEach(l::add);
        }
        l.sort(null); // names carry the start time: name order is time order
        return l;
    }

    @Test
    void segmentsPlayAloneAndTogetherHoldEveryFrameOnce() throws Exception {
        Path whole = dir.resolve("whole.mkv");
        Path lossless = dir.resolve("lossless");
        Path rec = dir.resolve("rec");
        Path cfg = config(dir, "segments.yaml", "outputs:",
                "  - {uri: '" + whole + "', codec: ffv1}",
                "  - {uri: '" + lossless.resolve("part.mkv") + "', segment_seconds: 2, codec: ffv1}",
                "  - {uri: '" + rec + "/', segment_seconds: 2}");
        OutputTesting.Run r = ivfuseOk(dir, run(cfg));
        assertEquals("segments", r.output("o2").get("kind").asText());
        assertEquals(FRAMES, r.output("o1").get("frames").asInt());
        assertEquals(FRAMES, r.output("o2").get("frames").asInt());

        // Lossless segments, concatenated, are exactly the single file: nothing lost or repeated at the cuts.
        List<Path> parts = files(lossless, "part-*.mkv");
        assertEquals(5, parts.size(), parts.toString());
        List<byte[]> expected = TestVideos.readLuma(whole);
        List<byte[]> joined = new ArrayList<>();
        for (Path p : parts) {
            List<byte[]> luma = TestVideos.readLuma(p);
            assertEquals(60, luma.size(), p + " holds 2 s");
            joined.addAll(luma);
        }
        assertEquals(FRAMES, joined.size());
        for (int i = 0; i < FRAMES; i++) {
            assertArrayEquals(expected.get(i), joined.get(i), "frame " + i);
        }

        // MP4 segments in a folder: named by start time 2 s apart, each decodable alone from a
        // keyframe, its timestamps from 0 in steps of one frame.
        List<Path> segments = files(rec, "*.mp4");
        assertEquals(5, segments.size(), segments.toString());
        Pattern name = Pattern.compile("fused-(\\d{8}-\\d{6})\\.mp4");
        LocalDateTime previous = null;
        int total = 0;
        for (Path s : segments) {
            Matcher m = name.matcher(s.getFileName().toString());
            assertTrue(m.matches(), s.toString());
            LocalDateTime start = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            if (previous != null) {
                assertEquals(2, ChronoUnit.SECONDS.between(previous, start), "segment starts " + segments);
            }
            previous = start;
            List<OutputTesting.FrameInfo> info = frames(s.toString());
            assertEquals(60, info.size(), s.toString());
            assertTrue(info.get(0).key(), s + " starts with a keyframe");
            for (int i = 0; i < info.size(); i++) {
                assertEquals(i / 30.0, info.get(i).pts(), 1e-3, s + " frame " + i);
            }
            assertEquals(60, FfmpegCli.countFrames(s.toString(), 30));
            total += info.size();
        }
        assertEquals(FRAMES, total);
    }

    @Test
    void hlsWritesAPlaylistOfKeyframeAlignedSegmentsAndDeletesOldOnes() throws Exception {
        Path full = dir.resolve("hls").resolve("live.m3u8");
        Path rolling = dir.resolve("rolling").resolve("live.m3u8");
        Path cfg = config(dir, "hls.yaml", "outputs:",
                "  - '" + full + "'",
                "  - {uri: '" + rolling + "', options: {hls_list_size: '2'}}");
        OutputTesting.Run r = ivfuseOk(dir, run(cfg));
        assertEquals("hls", r.output("o0").get("kind").asText());

        // Defaults: 2 s segments, 6 in the playlist (all 5 here), ended by the end of the run.
        String playlist = Files.readString(full);
        assertTrue(playlist.contains("#EXT-X-TARGETDURATION:2"), playlist);
        assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
        List<String> listed = segmentsOf(playlist);
        assertEquals(5, listed.size(), playlist);
        for (String s : listed) {
            Path seg = full.resolveSibling(s);
            assertTrue(Files.exists(seg), seg.toString());
            assertTrue(frames(seg.toString()).get(0).key(), seg + " starts with a keyframe");
        }
        assertEquals(FRAMES, FfmpegCli.countFrames(full.toString(), 60));

        // A rolling window: the playlist keeps the last 2; older segments are deleted.
        String window = Files.readString(rolling);
        assertEquals(List.of("live3.ts", "live4.ts"), segmentsOf(window), window);
        assertTrue(window.contains("#EXT-X-MEDIA-SEQUENCE:3"), window);
        List<Path> left = files(rolling.getParent(), "*.ts");
        assertTrue(left.size() <= 3, "old segments deleted: " + left);
        assertFalse(Files.exists(rolling.resolveSibling("live0.ts")));
        assertEquals(Math.round(30 * durationOf(window)), FfmpegCli.countFrames(rolling.toString(), 60), window);
        try (Stream<Path> all = Files.list(rolling.getParent())) {
            assertTrue(all.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    /** Seconds of media a playlist lists (its EXTINF durations). */
    static double durationOf(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).sum();
    }

    static List<String> segmentsOf(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }
}
