package io.ivfuse.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void hidesSecretsItWasGivenWhereverTheyAppearLongestFirst() {
        Redaction.addSecret("Wq2-registered");
        Redaction.addSecret("Wq2-registered-longer");
        Redaction.addSecret("ab1"); // too short: masking it would garble ordinary text
        assertEquals("*** and *** ab1", Redaction.redact("Wq2-registered-longer and Wq2-registered ab1"));
        // '/' in a password defeats the URL pattern (userinfo stops at '/'); as a known secret it is hidden whole.
        assertEquals("rtsp://admin:p/ss@w0rd@cam/x", Redaction.redact("rtsp://admin:p/ss@w0rd@cam/x"));
        Redaction.addSecret("p/ss@w0rd");
        assertEquals("rtsp://***@cam/x", Redaction.redact("rtsp://admin:p/ss@w0rd@cam/x"));
    }

    @Test
    void namesThatSaySecret() {
        for (String secret : new String[] {"IVFUSE_IR_PASSWORD", "api_token", "SRT_KEY", "CAM1_PWD", "AWS_SECRET"}) {
            assertTrue(Redaction.namesSecret(secret), secret);
        }
        for (String plain : new String[] {"CAM_HOST", "HOME", "IVFUSE_IR"}) {
            assertFalse(Redaction.namesSecret(plain), plain);
        }
    }
}
