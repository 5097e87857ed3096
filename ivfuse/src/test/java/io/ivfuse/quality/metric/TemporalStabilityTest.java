package io.ivfuse.quality.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import org.junit.jupiter.api.Test;

class TemporalStabilityTest {
    private static final int W = 40;
    private static final int H = 30;

    /** A moving bar scene: frame t has a bright bar at column (3t mod W). */
    private static Plane scene(int t, int base) {
        Plane p = Plane.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                p.set(x, y, Math.abs(x - (3 * t) % W) < 3 ? 220 : base + (x + y) % 7);
            }
        }
        return p;
    }

    private static Plane average(Plane a, Plane b, int offset) {
        Plane f = Plane.allocate(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                f.set(x, y, Math.min(255, (a.get(x, y) + b.get(x, y) + 1) / 2 + offset));
            }
        }
        return f;
    }

    @Test
    void staticSceneFusedWithoutChangeScoresZero() {
        TemporalStability ts = new TemporalStability();
        Plane a = scene(0, 20);
        Plane b = scene(0, 90);
        Plane f = average(a, b, 0);
        for (int t = 0; t < 5; t++) {
            ts.accept(a, b, f);
        }
        assertEquals(0, ts.value(), 0);
        assertEquals(5, ts.frames());
    }

    @Test
    void flickerTheSourcesDoNotHaveIsMeasured() {
        TemporalStability small = new TemporalStability();
        TemporalStability large = new TemporalStability();
        Plane a = scene(0, 20);
        Plane b = scene(0, 90);
        for (int t = 0; t < 6; t++) {
            small.accept(a, b, average(a, b, t % 2 == 0 ? 0 : 4));
            large.accept(a, b, average(a, b, t % 2 == 0 ? 0 : 12));
        }
        assertEquals(4, small.value(), 1e-9, "a global 4-level flicker on a static scene");
        assertTrue(large.value() > small.value());
    }

    @Test
    void motionPresentInTheSourcesIsNotPenalised() {
        TemporalStability ts = new TemporalStability();
        for (int t = 0; t < 8; t++) {
            Plane a = scene(t, 20);
            Plane b = scene(t, 90);
            ts.accept(a, b, average(a, b, 0));
        }
        assertEquals(0, ts.value(), 0, "an average of moving sources moves no more than they do");
        TemporalStability flicker = new TemporalStability();
        for (int t = 0; t < 8; t++) {
            Plane a = scene(t, 20);
            Plane b = scene(t, 90);
            flicker.accept(a, b, average(a, b, t % 2 == 0 ? 0 : 10));
        }
        assertTrue(flicker.value() > 1, "flicker on top of motion still counts: " + flicker.value());
    }
}
