package io.ivfuse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Loopback ports for streaming tests: a free one (closed again before it is returned, so callers
 * that can tell a failed bind retry with a new one), and waiting (bounded) until a process has
 * bound one.
 */
public final class LocalPorts {
    private LocalPorts() {
    }

    /** A UDP port free on 127.0.0.1 at the time of asking. */
    public static int freeUdp() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port free on 127.0.0.1 at the time of asking. */
    public static int freeTcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port p with p + 1 free too: RTP binds p, and p + 1 for RTCP. */
    public static int freeUdpPair() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = rtp.getLocalPort();
                if (port < 65535) {
                    try {
                        new DatagramSocket(port + 1, InetAddress.getLoopbackAddress()).close();
                        return port;
                    } catch (IOException taken) {
                        // try another
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no two adjacent free UDP ports on 127.0.0.1");
    }

    /** Waits until some socket is bound to UDP {@code port} (read from /proc/net/udp, so nothing races the owner for it). */
    public static void awaitUdpBound(int port, long timeoutSeconds) {
        await(port, timeoutSeconds, false);
    }

    /** Waits until some socket listens on TCP {@code port}. */
    public static void awaitTcpListening(int port, long timeoutSeconds) {
        await(port, timeoutSeconds, true);
    }

    private static void await(int port, long timeoutSeconds, boolean tcp) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        while (System.nanoTime() < deadline) {
            if (bound(tcp ? "tcp" : "udp", hexPort, tcp) || bound(tcp ? "tcp6" : "udp6", hexPort, tcp)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // polling, bounded by the deadline
        }
        throw new AssertionError((tcp ? "TCP" : "UDP") + " port " + port + " was not bound within " + timeoutSeconds + " s");
    }

    private static boolean bound(String table, String hexPort, boolean listening) {
        Path file = Path.of("/proc/net", table);
        if (!Files.isReadable(file)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; TCP state 0A = LISTEN
                if (f.length > 3 && f[1].endsWith(hexPort) && (!listening || "0A".equals(f[3]))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
