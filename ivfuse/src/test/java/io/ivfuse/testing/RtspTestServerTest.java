package io.ivfuse.testing;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.source.VideoSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RTSP test camera, read by ivfuse's own decoder as a live source would be. */
class RtspTestServerTest {
    /** A visible-like and an IR-like camera: different sizes and rates, 5 s files, looped. */
    private static final Camera VIS = new Camera("/vis", 320, 240, 30, 150);
    private static final Camera IR = new Camera("/ir", 160, 128, 25, 125);
    /** Played once, not looped. */
    private static final Camera SHORT = new Camera("/short", 160, 128, 25, 40);
    /** How far (frames) behind the wall-clock timeline a client may see a frame: buffering, jitter. */
    private static final int MAX_LAG = 15;
    @TempDir
    static Path dir;
    private static ExecutorService readers;

    private record Camera(String mount, int w, int h, double fps, int frames) {
    }

    /** One decoded frame: its stamped number, when it arrived, its timestamp in the stream. */
    private record Received(int number, long nanos, long timestampUs) {
    }

    @BeforeAll
    static void writeMedia() {
        if (!RtspTestServer.unavailableReason().isEmpty()) {
            return; // each test skips, with the reason, in RtspTestServer.start
        }
        Natives.ffmpeg();
        for (Camera c : List.of(VIS, IR, SHORT)) {
            TestVideos.writeStampedH264Mkv(file(c), c.w(), c.h(), c.fps(), c.frames());
        }
        readers = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopReaders() {
        if (readers != null) {
            readers.shutdownNow();
        }
    }

    @Test
    void bothMountsServeDecodableFramesLiveAndInRealTime() throws Exception {
        Map<String, Path> mounts = Map.of(VIS.mount(), file(VIS), IR.mount(), file(IR));
        try (RtspTestServer server = RtspTestServer.start(mounts, null)) {
            Future<List<Received>> vis = readers.submit(() -> read(server.url(VIS.mount()), VIS, 75, null));
            Future<List<Received>> ir = readers.submit(() -> read(server.url(IR.mount()), IR, 60, null));
            checkLive(server, VIS, vis.get(20, TimeUnit.SECONDS));
            checkLive(server, IR, ir.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aLateClientJoinsTheSameTimeline() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of(VIS.mount(), file(VIS)), null)) {
            CountDownLatch firstIsReading = new CountDownLatch(1);
            Future<List<Received>> first =
                    readers.submit(() -> read(server.url(VIS.mount()), VIS, 90, firstIsReading));
            assertTrue(firstIsReading.await(15, TimeUnit.SECONDS), server.logTail());
            Future<List<Received>> late = readers.submit(() -> read(server.url(VIS.mount()), VIS, 60, null));
            List<Received> a = first.get(20, TimeUnit.SECONDS);
            List<Received> b = late.get(20, TimeUnit.SECONDS);
            checkLive(server, VIS, a);
            checkLive(server, VIS, b);
            assertTrue(b.get(0).number() >= a.get(15).number(), "the late client starts where the timeline is, not at "
                    + b.get(0).number() + " (the first client had frame " + a.get(15).number() + " when it came)");
        }
    }

    @Test
    void afterAKillTheServerRestartsOnTheSamePort() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of(VIS.mount(), file(VIS)), null)) {
            int port = server.port();
            checkDecodable(server, VIS, read(server.url(VIS.mount()), VIS, 5, null));
            server.kill();
            IvfuseException refused = assertThrows(IvfuseException.class,
                    () -> VideoSource.open("IR", server.url(VIS.mount()), AV_PIX_FMT_GRAY8).close());
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());

            long t0 = System.nanoTime();
            server.restart();
            System.out.printf("RTSP test server restart: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            assertEquals(port, server.port());
            checkDecodable(server, VIS, read(server.url(VIS.mount()), VIS, 5, null));
        }
    }

    @Test
    void restartWaitsForItsPortToBeFree() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of(IR.mount(), file(IR)), null)) {
            int port = server.port();
            server.kill();
            CompletableFuture<String> busy = server.nextOutput("BUSY \\d+");
            Future<?> restarted;
            try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                restarted = readers.submit(server::restart);
                busy.get(20, TimeUnit.SECONDS); // the new server found the port taken; now free it
                assertTrue(squatter.isBound());
            }
            restarted.get(20, TimeUnit.SECONDS);
            assertEquals(port, server.port());
            checkDecodable(server, IR, read(server.url(IR.mount()), IR, 5, null));
        }
    }

    @Test
    void withAuthOnlyTheRightCredentialsOpenAMount() throws Exception {
        String user = "ivfuse";
        String password = "s3cret/p@ss"; // needs percent-encoding in the URL
        try (RtspTestServer server = RtspTestServer.start(Map.of(IR.mount(), file(IR)), user + ":" + password)) {
            for (String url : List.of(server.url(IR.mount()), server.url(IR.mount(), user, "wrong"))) {
                IvfuseException e = assertThrows(IvfuseException.class,
                        () -> VideoSource.open("IR", url, AV_PIX_FMT_GRAY8).close(), url);
                assertTrue(e.getMessage().contains("401"), e.getMessage() + "\n" + server.logTail());
            }
            checkDecodable(server, IR, read(server.url(IR.mount(), user, password), IR, 5, null));
        }
    }

    @Test
    void pauseStopsTheProcessAndResumeContinuesIt() throws Exception {
        try (RtspTestServer server = RtspTestServer.start(Map.of(IR.mount(), file(IR)), null)) {
            server.pause(); // returns once /proc says stopped
            server.resume();
            checkDecodable(server, IR, read(server.url(IR.mount()), IR, 5, null));
        }
    }

    @Test
    void withoutLoopAMountEndsWithItsFileAndThenIsGone() {
        RtspTestServer server = RtspTestServer.start(Map.of(SHORT.mount(), file(SHORT)), null, false);
        try (server) {
            List<Integer> numbers = new ArrayList<>();
            byte[] luma = new byte[SHORT.w() * SHORT.h()];
            try (VideoSource source = VideoSource.open("IR", server.url(SHORT.mount()), AV_PIX_FMT_GRAY8)) {
                while (source.grab()) {
                    ByteBuffer b = (ByteBuffer) source.frame().image[0];
                    for (int y = 0; y < SHORT.h(); y++) {
                        b.get(y * source.lumaStride(), luma, y * SHORT.w(), SHORT.w());
                    }
                    numbers.add(TestVideos.readStampedFrameNumber(luma, SHORT.w(), SHORT.h()));
                }
            }
            assertTrue(!numbers.isEmpty() && numbers.get(numbers.size() - 1) == SHORT.frames() - 1,
                    "the stream ends with the file's last frame: " + numbers + "\n" + server.logTail());
            IvfuseException gone = assertThrows(IvfuseException.class,
                    () -> VideoSource.open("IR", server.url(SHORT.mount()), AV_PIX_FMT_GRAY8).close());
            assertTrue(gone.getMessage().contains("404"), gone.getMessage());
        }
        server.close(); // idempotent
        assertEquals(-1, server.pid());
    }

    private static Path file(Camera c) {
        return dir.resolve(c.mount().substring(1) + ".mkv");
    }

    /** Opens {@code url} with ivfuse's decoder and decodes {@code count} frames; {@code reading} opens after 15. */
    private static List<Received> read(String url, Camera c, int count, CountDownLatch reading) {
        List<Received> frames = new ArrayList<>();
        byte[] luma = new byte[c.w() * c.h()];
        try (VideoSource source = VideoSource.open("IR", url, AV_PIX_FMT_GRAY8)) {
            assertEquals(c.w(), source.width());
            assertEquals(c.h(), source.height());
            while (frames.size() < count) {
                assertTrue(source.grab(), "stream ended after " + frames.size() + " frames");
                ByteBuffer b = (ByteBuffer) source.frame().image[0];
                for (int y = 0; y < c.h(); y++) {
                    b.get(y * source.lumaStride(), luma, y * c.w(), c.w());
                }
                int number = TestVideos.readStampedFrameNumber(luma, c.w(), c.h());
                frames.add(new Received(number, System.nanoTime(), source.timestampUs()));
                if (reading != null && frames.size() == 15) {
                    reading.countDown();
                }
            }
        }
        return frames;
    }

    /** Every frame decodes with its stamp intact, none is missing, and timestamps rise. */
    private static void checkDecodable(RtspTestServer server, Camera c, List<Received> frames) {
        Supplier<String> context = () -> c.mount() + " " + frames + "\n" + server.logTail();
        assertTrue(frames.get(0).number() >= 0, () -> "no frame number in the first frame: " + context.get());
        for (int i = 1; i < frames.size(); i++) {
            Received previous = frames.get(i - 1);
            Received frame = frames.get(i);
            int at = i;
            assertTrue(frame.number() == (previous.number() + 1) % c.frames(),
                    () -> "frame " + at + " is not the one after frame " + (at - 1) + ": " + context.get());
            assertTrue(frame.timestampUs() > previous.timestampUs(),
                    () -> "timestamp of frame " + at + " does not rise: " + context.get());
        }
    }

    /**
     * {@link #checkDecodable}, and once the client has caught up, frames arrive at the camera's rate
     * and show what the camera shows now (by the wall clock since READY). Catching up: FFmpeg reads
     * about a second of the stream while opening it and hands those frames out at once.
     */
    private static void checkLive(RtspTestServer server, Camera c, List<Received> frames) {
        checkDecodable(server, c, frames);
        Supplier<String> context = () -> c.mount() + " " + frames + "\n" + server.logTail();
        int from = 1;
        double halfInterval = 0.5e9 / c.fps();
        while (from < frames.size() && frames.get(from).nanos() - frames.get(from - 1).nanos() < halfInterval) {
            from++;
        }
        int to = frames.size() - 1;
        assertTrue(to - from >= 10, () -> "fewer than 10 frames after the catch-up burst: " + context.get());
        double seconds = (frames.get(to).nanos() - frames.get(from).nanos()) / 1e9;
        double expected = (to - from) / c.fps();
        String pace = String.format("frames %d to %d came in %.3f s (%.3f s at %s fps)",
                from, to, seconds, expected, c.fps());
        assertTrue(seconds > 0.7 * expected && seconds < 1.5 * expected, () -> pace + ": " + context.get());

        Received last = frames.get(to);
        long live = Math.round((last.nanos() - server.readyNanos()) / 1e9 * c.fps());
        long lag = Math.floorMod(live - last.number(), c.frames());
        lag = lag > c.frames() / 2 ? lag - c.frames() : lag; // < 0: the camera starts just before READY
        System.out.printf("%s: %s after catching up on %d frames; %d frames behind live%n", c.mount(), pace, from, lag);
        long behind = lag;
        assertTrue(behind >= -3 && behind <= MAX_LAG, () -> "frame " + last.number() + " came " + behind
                + " frames after the camera showed it: " + context.get());
    }
}
