package io.ivfuse.sync;

import static io.ivfuse.sync.ExposureLabeler.Exposure.OVER;
import static io.ivfuse.sync.ExposureLabeler.Exposure.UNDER;
import static io.ivfuse.sync.ExposureLabeler.Exposure.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExposureLabelerTest {

    @Test
    void alternatingMeansAreToldApartAndARepeatedFrameKeepsItsLabel() {
        ExposureLabeler l = new ExposureLabeler();
        assertEquals(UNKNOWN, l.label(40));
        assertEquals(OVER, l.label(160));
        assertEquals(UNDER, l.label(42));
        assertEquals(UNDER, l.label(44), "a dropped over frame: the same exposure twice");
        assertEquals(OVER, l.label(158));
        assertTrue(l.changed());
    }

    @Test
    void noiseAndDriftBelowTheMarginDoNotFlipTheLabel() {
        ExposureLabeler l = new ExposureLabeler();
        l.label(100);
        for (int i = 0; i < 20; i++) {
            assertEquals(UNKNOWN, l.label(100 + (i % 2 == 0 ? 4 : -4) + i * 0.5), "frame " + i);
        }
        assertFalse(l.changed());
        assertEquals(6, ExposureLabeler.margin(10, 20), 1e-9);
        assertEquals(20, ExposureLabeler.margin(200, 150), 1e-9);
    }
}
