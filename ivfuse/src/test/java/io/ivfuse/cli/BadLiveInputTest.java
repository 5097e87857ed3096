package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.testing.LocalPorts;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live inputs that can't start: each gives one clear line naming the input (credentials hidden),
 * exit 2, and leaves no output file behind. All traffic stays on 127.0.0.1.
 */
class BadLiveInputTest {
    @TempDir
    static Path dir;
    static Path vis;

    @BeforeAll
    static void inputs() {
        vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 30, "ffv1", TestVideos::gradient);
    }

    static Result runWithIr(String ir, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--ir", ir, "--vis", vis.toString(), "-o", out.toString(),
                "--engine", "average", "--progress", "off"));
        args.addAll(List.of(more));
        return RunCommandTest.ivfuse(args.toArray(String[]::new));
    }

    static void assertRefusedWithoutOutput(Result r, Path out, String expected) {
        RunCommandTest.assertRefused(r, expected);
        assertFalse(Files.exists(out), "no output is left behind");
    }

    /** A config file whose network timeout is short, so the silent-server cases end quickly. */
    static Path quickTimeouts() throws IOException {
        return Files.writeString(dir.resolve("quick.yaml"), "input:\n  live:\n    timeout_ms: 1500\n");
    }

    @Test
    void anUnknownScheme() {
        Path out = dir.resolve("scheme.mkv");
        assertRefusedWithoutOutput(runWithIr("foo://camera/ir", out), out, "IR input 'foo://camera/ir': unknown scheme 'foo://'");
    }

    @Test
    void aRefusedConnectionHidesTheCredentials() {
        Path out = dir.resolve("refused.mkv");
        Result r = runWithIr("rtsp://admin:hunter2@127.0.0.1:" + LocalPorts.freeTcp() + "/ir", out);
        assertRefusedWithoutOutput(r, out, "IR input 'rtsp://***@127.0.0.1:");
        assertTrue(r.err().contains("Connection refused"), r.err());
        assertFalse(r.err().contains("hunter2") || r.out().contains("hunter2"), "no password anywhere: " + r.err());
    }

    /** RTSP and HTTP servers that accept and then send nothing: the run gives up within its timeout (HTTP used to hang). */
    @ParameterizedTest
    @ValueSource(strings = {"rtsp://127.0.0.1:%d/ir", "http://127.0.0.1:%d/ir.ts"})
    void aServerThatAcceptsButNeverAnswers(String url) throws Exception {
        try (SilentServer server = new SilentServer()) {
            String ir = String.format(url, server.port());
            Path out = dir.resolve("silent-" + ir.substring(0, 4) + ".mkv");
            long t0 = System.nanoTime();
            Result r = runWithIr(ir, out, "--config", quickTimeouts().toString());
            assertRefusedWithoutOutput(r, out, "IR input '" + ir + "'");
            assertTrue((System.nanoTime() - t0) / 1e9 < 15, "gave up within its timeout");
        }
    }

    @Test
    void aDeviceThatDoesNotExist() {
        Path out = dir.resolve("device.mkv");
        assertRefusedWithoutOutput(runWithIr("/dev/video97", out), out, "IR input '/dev/video97': no such device");
        assertRefusedWithoutOutput(runWithIr("v4l2:///dev/video97", out), out, "IR input '/dev/video97': no such device");
    }

    @Test
    void aFolderWithoutFrames() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-frames"));
        Path out = dir.resolve("folder.mkv");
        assertRefusedWithoutOutput(runWithIr(empty.toString(), out), out, "holds no image files");
    }

    /** Accepts TCP connections on 127.0.0.1 and never sends a byte. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor = new Thread(this::acceptAll, "silent-server");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptAll() {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
