package io.ivfuse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigLoader;
import io.ivfuse.config.ConfigValidator;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.config.IvfuseConfig.OutputEntry;
import io.ivfuse.config.IvfuseConfig.View;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs list: YAML forms, defaults, the kind each entry gets, and the errors for bad ones. */
class OutputConfigTest {
    @TempDir
    Path dir;

    private IvfuseConfig load(String... lines) throws Exception {
        return ConfigLoader.load(Files.writeString(dir.resolve("c.yaml"), String.join("\n", lines) + "\n"));
    }

    private IvfuseConfig valid() {
        IvfuseConfig c = new IvfuseConfig();
        c.input.ir = io.ivfuse.config.InputSpec.of("ir.mkv");
        c.input.vis = io.ivfuse.config.InputSpec.of("vis.mkv");
        return c;
    }

    private static String refusal(IvfuseConfig c) {
        return assertThrows(IvfuseException.class, () -> ConfigValidator.validate(c)).getMessage();
    }

    private static void assertMessage(String message, String expected) {
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    @Test
    void entriesAreStringsOrObjectsAndInheritTheOutputSection() throws Exception {
        IvfuseConfig c = load("output:", "  path: " + dir.resolve("main.mp4"), "  bitrate_kbps: 2500", "  options: {rc_mode: bitrate}",
                "  side_by_side: " + dir.resolve("sbs.mkv"),
                "outputs:",
                "  - udp://127.0.0.1:5000",
                "  - uri: srt://127.0.0.1:9000?mode=listener",
                "    id: field",
                "    view: side-by-side",
                "    queue_size: 8",
                "    bitrate_kbps: 800",
                "    encoder_options: {allow_skip_frames: '1'}",
                "    options: {latency: '50000'}");
        List<OutputTarget> t = OutputSet.plan(c);
        assertEquals(List.of("o0", "o1", "field", "o3"), t.stream().map(OutputTarget::id).toList());
        assertEquals(List.of("file", "udp", "srt", "file"), t.stream().map(o -> o.kind().name()).toList());
        assertEquals(View.SIDE_BY_SIDE, t.get(3).view(), "output.side_by_side is a side-by-side entry");
        OutputTarget srt = t.get(2);
        assertEquals(View.SIDE_BY_SIDE, srt.view());
        assertEquals(8, srt.queueSize());
        assertTrue(srt.listener());
        assertEquals("mpegts", srt.muxer());
        assertEquals("50000", srt.options().get("latency"));
        assertEquals("1000000", srt.options().get("listen_timeout"), "a listener waits for callers in 1 s slices");
        assertEquals(800, srt.encoding().bitrateKbps());
        assertEquals(Map.of("rc_mode", "bitrate", "allow_skip_frames", "1"), srt.encoding().options());
        assertEquals(2500, t.get(1).encoding().bitrateKbps(), "inherited");
        assertEquals(OutputKinds.DEFAULT_QUEUE_SIZE, t.get(1).queueSize());
        assertEquals(1.0, t.get(1).encoding().gopSeconds());
    }

    @Test
    void eachSchemeAndExtensionPicksItsKindMuxerAndDefaults() throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        IvfuseConfig c = valid();
        for (String uri : List.of(dir + "/a.mp4", dir + "/a.mkv", dir + "/a.mov", dir + "/a.avi", dir + "/a.ts",
                "file://" + dir + "/b.mp4", dir + "/frames", dir + "/hls/live.m3u8", "udp://127.0.0.1:5000",
                "rtp://127.0.0.1:5004", "srt://127.0.0.1:9000", "rtsp://user:pw@127.0.0.1:8554/live",
                "rtmp://127.0.0.1/live/key", "rtmps://127.0.0.1/live/key")) {
            c.outputs.add(OutputEntry.of(uri));
        }
        OutputEntry segments = OutputEntry.of(dir + "/rec/");
        segments.segmentSeconds = 60;
        c.outputs.add(segments);
        OutputEntry forced = OutputEntry.of(dir + "/raw.bin");
        forced.format = "mpegts";
        c.outputs.add(forced);
        List<OutputTarget> t = OutputSet.plan(c);
        assertEquals(List.of("file", "file", "file", "file", "file", "file", "png", "hls", "udp", "rtp", "srt", "rtsp",
                "rtmp", "rtmp", "segments", "file"), t.stream().map(o -> o.kind().name()).toList());
        assertEquals(java.util.Arrays.asList("mp4", "matroska", "mov", "avi", "mpegts", "mp4", null, "hls", "mpegts",
                        "rtp_mpegts", "mpegts", "rtsp", "flv", "flv", "mp4", "mpegts"),
                t.stream().map(OutputTarget::muxer).toList());
        assertEquals(dir + "/b.mp4", t.get(5).location(), "file: URIs are paths");
        assertEquals("2", t.get(7).options().get("hls_time"));
        assertEquals("6", t.get(7).options().get("hls_list_size"));
        assertTrue(t.get(7).options().get("hls_flags").contains("delete_segments"));
        assertEquals("1316", t.get(8).options().get("pkt_size"));
        assertEquals("1", t.get(8).options().get("flush_packets"));
        assertFalse(t.get(10).listener());
        assertEquals("tcp", t.get(11).options().get("rtsp_transport"));
        assertEquals("rtsp://***@127.0.0.1:8554/live", t.get(11).shown());
        assertTrue(t.stream().filter(o -> o.kind().network()).map(OutputTarget::kind).allMatch(k -> k.network()));
        assertFalse(t.get(0).kind().network());
    }

    @Test
    void badEntriesAreErrorsNamingTheKeyOrTheOutput() throws Exception {
        assertMessage(assertThrows(IvfuseException.class, () -> load("outputs:", "  - a.mp4", "  - uri: b.mp4",
                "    segment_secs: 5")).getMessage(), "unknown key 'outputs[1].segment_secs'");
        assertMessage(assertThrows(IvfuseException.class, () -> load("outputs:", "  - uri: b.mp4",
                "    view: sideways")).getMessage(), "bad value for 'outputs[0].view'");
        assertMessage(assertThrows(IvfuseException.class, () -> load("outputs:", "  - uri: b.mp4",
                "    segment_seconds: soon")).getMessage(), "bad value for 'outputs[0].segment_seconds'");

        assertMessage(refusal(valid()), "config key 'outputs' needs at least one output");
        assertMessage(refusal(with("queue_size: 0")), "config key 'outputs[0].queue_size' must be 1..1024");
        assertMessage(refusal(with("segment_seconds: -2")), "config key 'outputs[0].segment_seconds' must be >= 0");
        assertMessage(refusal(with("id: 'has space'")), "config key 'outputs[0].id' must be");
        assertMessage(refusal(with("gop_seconds: 0")), "config key 'outputs[0].gop_seconds'");

        IvfuseConfig twice = valid();
        twice.output.path = dir.resolve("a.mp4").toString();
        OutputEntry clash = OutputEntry.of(dir.resolve("b.mp4").toString());
        clash.id = "o0";
        twice.outputs.add(clash);
        assertMessage(refusal(twice), "output id 'o0' is taken by output.path");

        assertMessage(refusal(uri("ftp://host/x.ts")), "unknown scheme 'ftp:'");
        assertMessage(refusal(uri(dir + "/x.xyz")), "unknown video container '.xyz'");
        assertMessage(refusal(uri(dir + "/no/such/dir/x.mp4")), "does not exist");
        assertMessage(refusal(uri("udp://127.0.0.1:5000", "segment_seconds: 10")), "segment_seconds applies to files and folders only");
        assertMessage(refusal(uri(dir + "/x.mp4", "format: nosuchmuxer")), "unknown FFmpeg format 'nosuchmuxer'");
        assertMessage(refusal(uri(dir + "/live.m3u8", "options: {hls_tyme: '2'}")),
                "unknown option 'hls_tyme' (not an option of the hls format or of the file protocol)");
        assertMessage(refusal(uri(dir + "/live.m3u8", "options: {hls_time: soon}")),
                "option 'hls_time: soon' is not valid for the hls format");
        assertMessage(refusal(uri("udp://127.0.0.1:5000", "options: {pkt_sise: '1316'}")), "unknown option 'pkt_sise'");
        assertMessage(refusal(uri("srt://h:9000?passphrase=hunter2hunter2", "options: {bogus: '1'}")),
                "output srt://h:9000?passphrase=***: unknown option 'bogus'");
    }

    @Test
    void theReferenceConfigDocumentsTheOutputDefaults() {
        IvfuseConfig c = ConfigLoader.load(Path.of("..", "configs", "default.yaml"));
        IvfuseConfig defaults = new IvfuseConfig();
        assertTrue(c.outputs.isEmpty());
        assertEquals(defaults.output.gopSeconds, c.output.gopSeconds);
        assertEquals(defaults.output.options, c.output.options);
        List<OutputTarget> live = OutputSet.plan(ConfigLoader.load(Path.of("..", "configs", "live.yaml"), java.util.Map.of(
                "IVFUSE_IR_PASSWORD", "a", "IVFUSE_VIS_PASSWORD", "b", "IVFUSE_PUBLISH_PASSWORD", "c")));
        assertEquals(List.of("segments", "hls", "srt", "rtsp"), live.stream().map(t -> t.kind().name()).toList());
        assertEquals("rtsp://***@media-server.local:8554/fused-compare", live.get(3).shown());
    }

    @Test
    void aDisplayEntryNeedsADisplay() throws Exception {
        assumeTrue(java.awt.GraphicsEnvironment.isHeadless(), "a display is attached");
        assertMessage(refusal(uri("display:")), "--display needs a graphical display");
    }

    private IvfuseConfig with(String line) throws Exception {
        return uri(dir + "/x.mp4", line);
    }

    private IvfuseConfig uri(String uri, String... lines) throws Exception {
        StringBuilder y = new StringBuilder("input: {ir: ir.mkv, vis: vis.mkv}\noutputs:\n  - uri: '" + uri + "'\n");
        for (String l : lines) {
            y.append("    ").append(l).append('\n');
        }
        return load(y.toString());
    }

    @Test
    void theCommandLineTakesSeveralOutputsAndRefusesBadOnesClearly(@TempDir Path tmp) {
        Path vis = TestVideos.write(tmp.resolve("vis.mkv"), 64, 48, 30, 10, "ffv1", TestVideos::gradient);
        OutputTesting.Run r = OutputTesting.ivfuseOk(tmp, "--ir", vis.toString(), "--vis", vis.toString(), "--engine", "average",
                "-o", tmp.resolve("a.mkv").toString(), "-o", tmp.resolve("b.mp4").toString(), "-o", tmp.resolve("png") + "/");
        assertEquals(10, TestVideos.readLuma(tmp.resolve("a.mkv")).size());
        assertEquals(10, TestVideos.readLuma(tmp.resolve("b.mp4")).size());
        assertEquals(10, tmp.resolve("png").toFile().list().length);
        assertEquals("png", r.output("o2").get("encoder").asText());

        OutputTesting.Run bad = OutputTesting.ivfuse(tmp, "--ir", vis.toString(), "--vis", vis.toString(), "-o", "foo://x");
        assertEquals(2, bad.exit());
        assertMessage(bad.err(), "ivfuse: error: output foo://x: unknown scheme 'foo:'");

        // An encoder named outright must take every option given to it.
        OutputTesting.Run badOption = OutputTesting.ivfuse(tmp, "--ir", vis.toString(), "--vis", vis.toString(),
                "--codec", "libopenh264", "--config", OutputTesting.config(tmp, "enc.yaml",
                        "output: {options: {rc_mode: sometimes}}").toString(), "-o", tmp.resolve("c.mp4").toString());
        assertEquals(2, badOption.exit(), badOption.err());
        assertMessage(badOption.err(), "encoder libopenh264: option 'rc_mode: sometimes' rejected");
        OutputTesting.Run unknown = OutputTesting.ivfuse(tmp, "--ir", vis.toString(), "--vis", vis.toString(),
                "--codec", "libopenh264", "--config", OutputTesting.config(tmp, "enc2.yaml",
                        "output: {options: {tune: film}}").toString(), "-o", tmp.resolve("d.mp4").toString());
        assertEquals(2, unknown.exit(), unknown.err());
        assertMessage(unknown.err(), "encoder option 'tune' is not an option of libopenh264");
    }
}
