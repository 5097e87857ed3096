package io.ivfuse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free ports on 127.0.0.1, for a test server or receiver to bind next. The port is closed again
 * before it is returned, so another process could take it in between: callers that can tell a
 * failed bind ("Address already in use") retry with a new one.
 */
public final class LocalPorts {
    private LocalPorts() {
    }

    /** A TCP port nobody listens on (RTSP, RTMP, HTTP). */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port nobody has bound (UDP, SRT). */
    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(loopback(0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port p with p + 1 free too: RTP binds p, and p + 1 for RTCP. */
    public static int udpPair() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket rtp = new DatagramSocket(loopback(0))) {
                int port = rtp.getLocalPort();
                if (port < 65535) {
                    try {
                        new DatagramSocket(loopback(port + 1)).close();
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

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
