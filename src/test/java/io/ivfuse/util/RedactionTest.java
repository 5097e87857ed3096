package io.ivfuse.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void hidesUserAndPasswordOfEveryUrlInAText() {
        assertEquals("IR input 'rtsp://***@10.0.0.5:554/thermal' failed; also rtmp://***@h/app",
                Redaction.redact("IR input 'rtsp://admin:s3cr%40t@10.0.0.5:554/thermal' failed; also rtmp://bob@h/app"));
    }

    @Test
    void hidesSecretQueryValuesButKeepsTheRest() {
        assertEquals("srt://h:9000?mode=caller&passphrase=***&latency=20",
                Redaction.redact("srt://h:9000?mode=caller&passphrase=topsecret1&latency=20"));
    }

    @Test
    void leavesPlainLocationsAlone() {
        assertEquals("/data/a@b/cam.mp4", Redaction.redact("/data/a@b/cam.mp4"));
        assertEquals("http://host/path/a@b", Redaction.redact("http://host/path/a@b"));
    }
}
