package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;

import io.ivfuse.testing.SharedFiles;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code calibrate --ui}'s options, refused before any page is served (the page itself: CalibrationUiTest). */
class CalibrateUiOptionsTest {

    @Test
    void outputIsRequiredWithoutTheUi() {
        assertRefused(ivfuse("calibrate", "--ir", "a.png", "--vis", "b.png"),
                "missing -o/--output FILE: the calibration file to write");
    }

    @Test
    void theUiAndAPointsFileAreAlternatives() {
        assertRefused(ivfuse("calibrate", "--ui", "--ir", "a.png", "--vis", "b.png", "--points", "p.csv"),
                "--ui and --points are alternatives: the page collects the point pairs");
    }

    @Test
    void aPortInUseIsAOneLineUserError() throws Exception {
        String image = SharedFiles.require("data/tno/vis/01.png").toString();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertRefused(ivfuse("calibrate", "--ui", "--ir", image, "--vis", image, "--port", String.valueOf(port)),
                    "--port " + port + ": cannot listen on 127.0.0.1:" + port);
        }
    }
}
