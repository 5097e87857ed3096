package io.ivfuse.fusion.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cumulative histogram matching: a shifted exposure maps back exactly, and levels no sample has stay in range. */
class IntensityMappingTest {
    @Test
    void aShiftIsRecoveredAndUnsampledLevelsMapToTheNearestSeen() {
        byte[] from = new byte[40];
        byte[] to = new byte[40];
        for (int i = 0; i < 40; i++) {
            from[i] = (byte) (10 + 2 * i); // 10, 12, ..., 88
            to[i] = (byte) (150 + 2 * i);  // the same scene, 140 levels brighter
        }
        IntensityMapping m = new IntensityMapping();
        m.fit(from, to, 40);
        assertEquals(150, m.map(10));
        assertEquals(200, m.map(60));
        assertEquals(228, m.map(88));
        assertEquals(228, m.map(200), "above every sample: the highest level seen, not 255");
        assertEquals(150, m.map(0), "below every sample: the lowest level seen");
    }
}
