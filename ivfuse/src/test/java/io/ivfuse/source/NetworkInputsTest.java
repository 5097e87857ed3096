package io.ivfuse.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.FfmpegCli;
import io.ivfuse.testing.FfmpegSender;
import io.ivfuse.testing.LocalPorts;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network inputs other than RTSP, read through the reader `ivfuse run` uses from the bundled
 * ffmpeg on 127.0.0.1: UDP and SRT (MPEG-TS; SRT both ways, ivfuse calling an ffmpeg listener and
 * ivfuse listening for an ffmpeg caller), RTP, and RTMP and HTTP from ffmpeg as a one-client
 * server. The clip carries its frame number ({@link TestVideos#stamped}), so each test checks
 * that what arrives is the clip, in order, at its size, on timestamps that follow its frame rate.
 * Then inputs that get nothing: they fail to start in bounded time, naming the input, and give
 * their port back once FFmpeg's own timeouts end the abandoned attempt (else no reconnection could
 * bind it again).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkInputsTest {
    static final int W = 160;
    static final int H = 120;
    static final int FPS = 30;
    /** Frames read from each stream: 1.5 s of it. */
    static final int FRAMES = 45;
    /** input.live.timeout_ms of the silent-input tests. */
    static final long SILENT_TIMEOUT_MS = 1500;

    @TempDir
    static Path dir;
    static Path clip;

    @BeforeAll
    static void clip() {
        // 10 s, a keyframe every half second: a receiver joining at any moment decodes at once.
        clip = TestVideos.writeStampedH264Mkv(dir.resolve("clip.mkv"), W, H, FPS, 10 * FPS);
    }

    @Test
    void udpMpegTs() {
        streamsTheClip("udp", LocalPorts::freeUdp, "udp://127.0.0.1:PORT?pkt_size=1316", "udp://127.0.0.1:PORT",
                "-c", "copy", "-f", "mpegts");
    }

    @Test
    void srtCallingAnFfmpegListener() {
        streamsTheClip("srt-caller", LocalPorts::freeUdp, "srt://127.0.0.1:PORT?mode=listener", "srt://127.0.0.1:PORT",
                "-c", "copy", "-f", "mpegts");
    }

    @Test
    void srtListeningForAnFfmpegCaller() {
        // The caller starts first and repeats its handshake for up to 10 s until ivfuse listens.
        streamsTheClip("srt-listener", LocalPorts::freeUdp, "srt://127.0.0.1:PORT?connect_timeout=10000",
                "srt://127.0.0.1:PORT?mode=listener", "-c", "copy", "-f", "mpegts");
    }

    @Test
    void rtpMpegTs() {
        streamsTheClip("rtp", LocalPorts::freeUdpPair, "rtp://127.0.0.1:PORT", "rtp://127.0.0.1:PORT", "-c", "copy", "-f", "rtp_mpegts");
    }

    @Test
    void rtmpFromAnFfmpegServer() {
        streamsTheClip("rtmp", LocalPorts::freeTcp, "rtmp://127.0.0.1:PORT/live/ir", "rtmp://127.0.0.1:PORT/live/ir",
                "-c", "copy", "-f", "flv", "-listen", "1");
    }

    @Test
    void httpFromAnFfmpegServer() {
        streamsTheClip("http", LocalPorts::freeTcp, "http://127.0.0.1:PORT/ir.ts", "http://127.0.0.1:PORT/ir.ts",
                "-c", "copy", "-f", "mpegts", "-listen", "1");
    }

    @Test
    void aLiveStreamWithoutVideoIsRefusedByName() throws Exception {
        int port = LocalPorts.freeTcp();
        String url = "http://127.0.0.1:" + port + "/audio.ts";
        // An audio-only MPEG-TS stream (a sine tone) served to one client by ffmpeg.
        Process sender = FfmpegCli.start(dir.resolve("audio-only.log"), "-re", "-f", "lavfi", "-i",
                "sine=duration=30", "-c:a", "mp2", "-f", "mpegts", "-listen", "1", url);
        try {
            LocalPorts.awaitTcpListening(port, 10);
            try (InputReader reader = reader(url, new IvfuseConfig.Live())) {
                IvfuseException e = assertThrows(IvfuseException.class, reader::start);
                assertEquals("IR input '" + url + "' has no video stream", e.getMessage());
            }
        } finally {
            sender.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aUdpPortNobodySendsToFailsToStartAndIsFreedAgain() {
        int port = LocalPorts.freeUdp();
        assertFailsToStart("udp://127.0.0.1:" + port);
        assertUdpPortFreed(port);
    }

    @Test
    void anSrtListenerNobodyCallsFailsToStartAndIsFreedAgain() {
        int port = LocalPorts.freeUdp();
        assertFailsToStart("srt://127.0.0.1:" + port + "?mode=listener");
        assertUdpPortFreed(port);
    }

    /**
     * Starts ffmpeg sending the clip to {@code senderUrl} with {@code outputOptions}, then reads
     * {@code inputUrl} through ivfuse (PORT in both: a free port). A sender that lost its port to
     * another process in between is retried on a new one.
     */
    private static void streamsTheClip(String name, IntSupplier freePort, String senderUrl, String inputUrl,
                                       String... outputOptions) {
        for (int attempt = 1; ; attempt++) {
            String port = String.valueOf(freePort.getAsInt());
            try (FfmpegSender sender = FfmpegSender.start(dir.resolve(name + "-" + attempt + ".log"), clip,
                    senderUrl.replace("PORT", port), outputOptions)) {
                try {
                    assertReadsTheClip(inputUrl.replace("PORT", port), sender);
                    return;
                } catch (IvfuseException e) {
                    if (attempt < 3 && sender.lostItsPort()) {
                        continue;
                    }
                    throw new AssertionError(e.getMessage() + sender.logTail(), e);
                }
            }
        }
    }

    /** Reads {@link #FRAMES} frames of {@code url} and checks they are the clip's, in order, on its clock. */
    private static void assertReadsTheClip(String url, FfmpegSender sender) {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        live.startTimeoutMs = 10_000; // the sender may still be starting: retried like a camera not up yet
        live.reconnectInitialMs = 100;
        live.reconnectMaxMs = 500;
        try (InputReader reader = reader(url, live)) {
            reader.start();
            assertEquals(W + "x" + H, reader.width() + "x" + reader.height(), "size of " + url);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int first = -1;
            int last = -1;
            long firstUs = 0;
            long lastUs = Long.MIN_VALUE;
            for (int i = 0; i < FRAMES; i++) {
                InputFrame frame = reader.queue().next(deadline);
                assertNotNull(frame, "frame " + i + " of " + url + " within 10 s" + sender.logTail());
                try {
                    assertEquals(W, frame.plane().width());
                    assertEquals(H, frame.plane().height());
                    int number = TestVideos.readStampedFrameNumber(frame.plane().toArray(), W, H);
                    assertTrue(number > last, url + ": frame " + i + " is clip frame " + number + ", after " + last);
                    assertTrue(frame.timestampUs() > lastUs, url + ": timestamps increase");
                    if (i == 0) {
                        first = number;
                        firstUs = frame.timestampUs();
                    }
                    last = number;
                    lastUs = frame.timestampUs();
                } finally {
                    reader.queue().release(frame);
                }
            }
            assertEquals((last - first) / (double) FPS, (lastUs - firstUs) / 1e6, 0.25,
                    url + ": the timestamps span as much time as the clip frames " + first + " to " + last);
        }
    }

    /**
     * An input that gets no data fails to start with an error naming it, after waiting for data
     * (at least the timeout) and within InputReader's net under FFmpeg (twice the timeout plus 2 s;
     * FFmpeg's MPEG-TS probing waits the timeout on each of several reads, so it can take longer).
     */
    private static void assertFailsToStart(String url) {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        live.timeoutMs = SILENT_TIMEOUT_MS;
        long t0 = System.nanoTime();
        try (InputReader reader = reader(url, live)) {
            IvfuseException e = assertThrows(IvfuseException.class, reader::start);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().startsWith("IR input '" + url + "'"), e.getMessage());
            assertTrue(seconds >= SILENT_TIMEOUT_MS / 1e3, "waited for data: failed after " + seconds + " s: " + e.getMessage());
            assertTrue(seconds < (2 * SILENT_TIMEOUT_MS + 2000) / 1e3 + 1, "failed after " + seconds + " s: " + e.getMessage());
        }
    }

    /** The abandoned attempt gives its port back once FFmpeg's own timeouts end it. */
    private static void assertUdpPortFreed(int port) {
        Deadline.within(15, TimeUnit.SECONDS).until("UDP port " + port + " is free again", () -> {
            try {
                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).close();
                return true;
            } catch (IOException inUse) {
                return false;
            }
        });
    }

    private static InputReader reader(String url, IvfuseConfig.Live live) {
        return new InputReader(InputKinds.plan("IR", InputSpec.of(url), live), new InfraredDecoding(new IvfuseConfig.Gray16()),
                live, new PipelineMetrics().ir, true);
    }
}
