package io.ivfuse.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which {@link InputKind} each input resolves to, and the FFmpeg demuxer and options of its plan;
 * nothing is opened. Timeouts are in FFmpeg's units: microseconds, except where a protocol says.
 */
class InputKindsTest {
    static final long TIMEOUT_MS = 1500;
    static final String MICROS = "1500000";

    @TempDir
    Path dir;

    static IvfuseConfig.Live live() {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        live.timeoutMs = TIMEOUT_MS;
        return live;
    }

    static InputPlan plan(String uri) {
        return InputKinds.plan("IR", InputSpec.of(uri), live());
    }

    static InputPlan plan(InputSpec spec) {
        return InputKinds.plan("IR", spec, live());
    }

    static InputSpec spec(String uri, Map<String, String> options) {
        InputSpec s = InputSpec.of(uri);
        s.options.putAll(options);
        return s;
    }

    static String refusal(InputSpec spec) {
        return assertThrows(IvfuseException.class, () -> plan(spec)).getMessage();
    }

    static String refusal(String uri) {
        return refusal(InputSpec.of(uri));
    }

    static void assertLowLatency(InputPlan p) {
        assertEquals("nobuffer", p.options().get("fflags"));
        assertEquals("low_delay", p.decoderOptions().get("flags"), "no frame threading delay in the decoder");
        assertEquals("500000", p.options().get("probesize"));
    }

    // --- RTSP ---

    @ParameterizedTest
    @ValueSource(strings = {"rtsp://cam/ir", "rtsps://cam/ir", "RTSP://cam/ir"})
    void rtspIsALiveCameraOverTcpWithItsTimeoutInMicroseconds(String uri) {
        InputPlan p = plan(uri);
        assertEquals("rtsp", p.kind());
        assertEquals(uri, p.location());
        assertNull(p.format(), "FFmpeg's RTSP demuxer is chosen by the scheme");
        assertTrue(p.live());
        assertEquals("tcp", p.options().get("rtsp_transport"));
        assertEquals(MICROS, p.options().get("timeout"));
        assertEquals("100000", p.options().get("analyzeduration"), "the SDP describes the stream: a short analysis");
        assertLowLatency(p);
    }

    @Test
    void rtspTransportUdpOnRequestAnythingElseIsRefusedNamingTheKey() {
        InputSpec udp = InputSpec.of("rtsp://cam/ir");
        udp.transport = "udp";
        assertEquals("udp", plan(udp).options().get("rtsp_transport"));

        InputSpec bad = InputSpec.of("rtsp://cam/ir");
        bad.transport = "http";
        assertEquals("IR input: key 'transport' must be tcp or udp, got 'http'", refusal(bad));
    }

    // --- Network streams ---

    @ParameterizedTest
    @ValueSource(strings = {"srt://127.0.0.1:9000", "udp://127.0.0.1:9000", "rtp://127.0.0.1:9000", "rtmp://host/live/ir",
        "rtmps://host/live/ir", "http://host/ir.ts", "https://host/ir.m3u8", "tcp://127.0.0.1:9000"})
    void networkStreamsAreLiveWithAReadTimeoutOnEveryProtocol(String uri) {
        InputPlan p = plan(uri);
        assertEquals("stream", p.kind());
        assertEquals(uri, p.location());
        assertTrue(p.live());
        assertEquals(MICROS, p.options().get("rw_timeout"));
        assertLowLatency(p);
        String scheme = InputKinds.scheme(uri);
        if (scheme.startsWith("rtmp")) {
            assertFalse(p.options().containsKey("timeout"), "RTMP's 'timeout' would make the client listen instead");
        } else {
            assertEquals(MICROS, p.options().get("timeout"), "connect (and UDP read) timeout");
        }
        assertEquals(scheme.equals("udp") || scheme.equals("srt") ? "mpegts" : null, p.format());
    }

    @Test
    void udpAndRtpSurviveABufferOverrun() {
        for (String uri : new String[] {"udp://127.0.0.1:9000", "rtp://127.0.0.1:9000"}) {
            InputPlan p = plan(uri);
            assertEquals("1", p.options().get("overrun_nonfatal"), uri);
            assertFalse(p.options().containsKey("fifo_size"), "FFmpeg's own 5.4 MB FIFO, not a 188 MB one: " + uri);
        }
        assertFalse(plan("srt://127.0.0.1:9000").options().containsKey("overrun_nonfatal"));
    }

    @Test
    void inputsThatListenForTheirSenderWaitForItNoLongerThanTheTimeout() {
        assertEquals(MICROS, plan("srt://0.0.0.0:9000?mode=listener").options().get("listen_timeout"), "SRT: microseconds");
        assertEquals("1500", plan("tcp://0.0.0.0:9000?listen=1").options().get("listen_timeout"), "TCP: milliseconds");
        assertEquals("1500", plan("http://0.0.0.0:8080/ir.ts").options().get("listen_timeout"), "HTTP hands it to TCP");
        InputPlan rtmpServer = plan(spec("rtmp://0.0.0.0:1935/live/ir", Map.of("listen", "1")));
        assertEquals("2", rtmpServer.options().get("timeout"), "RTMP: whole seconds, rounded up");
        assertFalse(plan(spec("rtmp://host/live/ir", Map.of("listen", "0"))).options().containsKey("timeout"));
    }

    @Test
    void liveFalseIsHonouredForAnHttpDownload() {
        InputSpec download = InputSpec.of("http://host/recording.mp4");
        download.live = false;
        assertFalse(plan(download).live());
        assertTrue(plan("http://host/recording.mp4").live(), "live by default");
    }

    // --- V4L2 ---

    @Test
    void videoDevicesAreV4l2() {
        assertEquals("v4l2", InputKinds.kindOf("IR", "/dev/video0").name());
        assertEquals("v4l2", InputKinds.kindOf("IR", "v4l2:///dev/video0").name());
        // Any existing path stands in for a device: there is no camera here.
        InputPlan p = plan(spec("v4l2:///dev/null", Map.of("video_size", "640x512", "input_format", "y16")));
        assertEquals("/dev/null", p.location(), "the scheme is stripped");
        assertEquals("v4l2", p.format());
        assertTrue(p.live());
        assertEquals(Map.of("video_size", "640x512", "input_format", "y16"), p.options(), "the user's options, no others");
    }

    @Test
    void aMissingDeviceIsRefused() {
        assertEquals("IR input '/dev/video97': no such device", refusal("/dev/video97"));
        assertEquals("IR input '/dev/video97': no such device", refusal("v4l2:///dev/video97"));
    }

    // --- Image sequences ---

    @Test
    void aFolderOfFramesIsAGlobOfItsMostCommonImageExtension() throws IOException {
        for (String name : new String[] {"0001.png", "0002.png", "0003.PNG", "cover.jpg", "notes.txt", "a.b.c"}) {
            Files.writeString(dir.resolve(name), "");
        }
        InputPlan p = plan(dir.toString());
        assertEquals("images", p.kind());
        assertEquals(dir.resolve("*.png").toString(), p.location());
        assertEquals("image2", p.format());
        assertEquals("glob", p.options().get("pattern_type"));
        assertEquals("30", p.options().get("framerate"), "default frame rate");
        assertFalse(p.live(), "read like a file, losslessly");
        assertEquals(p.location(), plan("images://" + dir).location(), "images:// says the same");
    }

    @Test
    void theGlobSpellsTheExtensionAsTheFilesDo() throws IOException {
        Path camera = Files.createDirectories(dir.resolve("DCIM"));
        Files.writeString(camera.resolve("IMG_0001.JPG"), "");
        Files.writeString(camera.resolve("IMG_0002.JPG"), "");
        assertEquals(camera.resolve("*.JPG").toString(), plan(camera.toString()).location(), "the glob is case-sensitive");
    }

    @Test
    void aPrintfPatternIsOpenedAsItIs() {
        String pattern = dir.resolve("%06d.png").toString();
        InputPlan p = plan(pattern);
        assertEquals("images", p.kind());
        assertEquals(pattern, p.location());
        assertEquals("image2", p.format());
        assertFalse(p.options().containsKey("pattern_type"), "image2's own sequence pattern");
        assertEquals("30", p.options().get("framerate"));
        assertEquals("9", plan(spec(pattern, Map.of("framerate", "9"))).options().get("framerate"));
    }

    @Test
    void anEmptyFolderAndAPatternWithoutItsFolderAreRefused() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "no frames here");
        assertEquals("IR input '" + dir + "': the folder holds no image files (png, jpg, jpeg, bmp, tif, tiff, pgm, ppm)",
                refusal(dir.toString()));
        String pattern = dir.resolve("missing").resolve("%04d.png").toString();
        assertEquals("IR input '" + pattern + "': the folder of the pattern does not exist", refusal(pattern));
        assertEquals("IR input '" + dir.resolve("gone") + "': no such folder of frames", refusal("images://" + dir.resolve("gone")));
    }

    // --- Files, options, errors ---

    @Test
    void aPlainPathOrFileUrlIsAFileReadLosslessly() throws IOException {
        Path video = Files.writeString(dir.resolve("ir.mkv"), "");
        for (String uri : new String[] {video.toString(), "file://" + video}) {
            InputPlan p = plan(uri);
            assertEquals("file", p.kind());
            assertEquals(video.toString(), p.location());
            assertFalse(p.live());
            assertEquals(Map.of(), p.options(), "no network defaults for a file");
        }
        assertEquals("IR input '/no/such.mkv': no such file", refusal("/no/such.mkv"));
    }

    @Test
    void theUsersOptionsAndFormatOverrideTheDefaults() {
        InputSpec s = spec("udp://127.0.0.1:9000", Map.of("timeout", "250000", "fflags", "+genpts", "fifo_size", "50000",
                "localaddr", "127.0.0.1"));
        s.format = "h264";
        InputPlan p = plan(s);
        assertEquals("h264", p.format());
        assertEquals("250000", p.options().get("timeout"));
        assertEquals("+genpts", p.options().get("fflags"));
        assertEquals("50000", p.options().get("fifo_size"));
        assertEquals("127.0.0.1", p.options().get("localaddr"), "options ivfuse knows nothing about pass through");
        assertEquals(MICROS, p.options().get("rw_timeout"), "defaults not overridden stay");

        InputSpec rtsp = spec("rtsp://cam/ir", Map.of("rtsp_transport", "udp_multicast", "analyzeduration", "2000000"));
        assertEquals("udp_multicast", plan(rtsp).options().get("rtsp_transport"));
        assertEquals("2000000", plan(rtsp).options().get("analyzeduration"));
    }

    @Test
    void anUnknownSchemeListsTheSupportedOnes() {
        assertEquals("IR input 'foo://***@cam/ir': unknown scheme 'foo://' (supported: file, http, https, images, rtmp, "
                + "rtmps, rtp, rtsp, rtsps, srt, tcp, udp, v4l2)", refusal("foo://admin:pw@cam/ir"));
    }

    @Test
    void noInputAtAll() {
        assertEquals("IR input: no file or URL given", refusal(" "));
        assertEquals("visible input: no file or URL given",
                assertThrows(IvfuseException.class, () -> InputKinds.plan("visible", null, live())).getMessage());
    }

    @Test
    void theLabelHidesCredentialsButFfmpegStillGetsThem() {
        InputPlan rtsp = plan("rtsp://admin:hunter2@10.0.0.5:554/thermal");
        assertEquals("IR input 'rtsp://***@10.0.0.5:554/thermal'", rtsp.label());
        assertEquals("rtsp://admin:hunter2@10.0.0.5:554/thermal", rtsp.location());
        assertEquals("IR input 'rtmp://***@host/live/ir'", plan("rtmp://user:pw@host/live/ir").label());
        InputPlan srt = plan("srt://10.0.0.5:9000?streamid=ir&passphrase=s3cretpassphrase");
        assertEquals("IR input 'srt://10.0.0.5:9000?streamid=ir&passphrase=***'", srt.label());
        assertTrue(srt.location().contains("s3cretpassphrase"));
    }
}
