package io.ivfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import java.util.List;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract every fusion engine keeps. An engine's test class extends this and says how to
 * create the engine; engine-specific properties go in the subclass.
 */
public abstract class FusionEngineContract {

    /** A fresh engine for one test; the test closes it. */
    protected abstract FusionEngine createEngine();

    public static Plane randomPlane(int width, int height, long seed) {
        Plane p = Plane.allocate(width, height);
        byte[] px = new byte[width * height];
        new Random(seed).nextBytes(px);
        p.fill(px);
        return p;
    }

    /**
     * Fuses all 65,536 (visible, infrared) value pairs in one 256x256 frame (row = visible value,
     * column = infrared value) and checks each output against {@code expected(vis, ir)}.
     */
    protected static void assertEveryValuePair(FusionEngine engine, IntBinaryOperator expected) {
        Plane vis = Plane.allocate(256, 256);
        Plane ir = Plane.allocate(256, 256);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                vis.set(x, y, y);
                ir.set(x, y, x);
            }
        }
        byte[] out = fuseOnce(engine, vis, ir);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                org.junit.jupiter.api.Assertions.assertEquals(expected.applyAsInt(y, x), out[y * 256 + x] & 0xFF,
                        "vis " + y + ", ir " + x);
            }
        }
    }

    public static byte[] fuseOnce(FusionEngine engine, Plane vis, Plane ir) {
        try (FusionSession s = engine.openSession(vis.width(), vis.height())) {
            Plane out = Plane.allocate(vis.width(), vis.height());
            s.fuse(vis, ir, out);
            return out.toArray();
        }
    }

    @Test
    void outputHasTheInputShapeAndTheSessionIsDeterministic() {
        try (FusionEngine engine = createEngine()) {
            Plane vis = randomPlane(64, 48, 1);
            Plane ir = randomPlane(64, 48, 2);
            try (FusionSession s = engine.openSession(64, 48)) {
                Plane a = Plane.allocate(64, 48);
                Plane b = Plane.allocate(64, 48);
                s.fuse(vis, ir, a);
                s.fuse(vis, ir, b);
                assertArrayEquals(a.toArray(), b.toArray(), "same input, same session, same output");
            }
            assertArrayEquals(fuseOnce(engine, vis, ir), fuseOnce(engine, vis, ir), "two sessions agree");
        }
    }

    /**
     * A synthetic golden: inputs whose fused result is known for this engine, the result itself,
     * and how many gray levels a pixel may be off (0 where the engine computes in integers).
     */
    public record Golden(String what, Plane visible, Plane infrared, Plane expected, int tolerance) {
    }

    /** Goldens of this frame size for {@code engine} (one of {@link #createEngine()}), for the odd-size case. */
    protected abstract List<Golden> goldens(FusionEngine engine, int width, int height);

    public static Plane constantPlane(int width, int height, int value) {
        Plane p = Plane.allocate(width, height);
        p.fill((byte) value);
        return p;
    }

    /** A golden of a per-pixel rule (visible, infrared) -> fused, on random planes. */
    protected static Golden pixelwise(String what, int width, int height, IntBinaryOperator rule) {
        Plane vis = randomPlane(width, height, 3);
        Plane ir = randomPlane(width, height, 4);
        Plane expected = Plane.allocate(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected.set(x, y, rule.applyAsInt(vis.get(x, y), ir.get(x, y)));
            }
        }
        return new Golden(what, vis, ir, expected, 0);
    }

    @Test
    void fusesAnyFrameSizeIncludingOddOnesToTheKnownResult() {
        int[][] sizes = {{1, 1}, {17, 13}, {63, 5}, {640, 480}, {322, 241}};
        try (FusionEngine engine = createEngine()) {
            for (int[] wh : sizes) {
                List<Golden> goldens = goldens(engine, wh[0], wh[1]);
                assertFalse(goldens.isEmpty(), "an engine names at least one golden per size");
                for (Golden g : goldens) {
                    byte[] out = fuseOnce(engine, g.visible(), g.infrared());
                    byte[] expected = g.expected().toArray();
                    int worst = 0;
                    int at = -1;
                    for (int i = 0; i < out.length; i++) {
                        int d = Math.abs((out[i] & 0xFF) - (expected[i] & 0xFF));
                        if (d > worst) {
                            worst = d;
                            at = i;
                        }
                    }
                    int where = at;
                    assertTrue(worst <= g.tolerance(), () -> wh[0] + "x" + wh[1] + ", " + g.what() + ": pixel ("
                            + where % wh[0] + ", " + where / wh[0] + ") is " + (out[where] & 0xFF) + ", expected "
                            + (expected[where] & 0xFF) + " (tolerance " + g.tolerance() + ")");
                }
            }
        }
    }

    @Test
    void planesOfAnotherSizeThanTheSessionAreRefusedByName() {
        try (FusionEngine engine = createEngine(); FusionSession s = engine.openSession(40, 30)) {
            Plane right = randomPlane(40, 30, 8);
            Plane out = Plane.allocate(40, 30);
            Plane narrowIr = randomPlane(39, 30, 9);
            Plane shortVis = randomPlane(40, 29, 10);
            Plane wideOut = Plane.allocate(41, 30);
            String[][] cases = {{"infrared", "39x30"}, {"visible", "40x29"}, {"fused", "41x30"}};
            Plane[][] planes = {{right, narrowIr, out}, {shortVis, right, out}, {right, right, wideOut}};
            for (int c = 0; c < cases.length; c++) {
                Plane[] p = planes[c];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.fuse(p[0], p[1], p[2]),
                        cases[c][0] + " plane of " + cases[c][1]);
                assertTrue(e.getMessage().contains(cases[c][1]) && e.getMessage().contains("40x30"),
                        "names the wrong size and the session's: " + e.getMessage());
            }
        }
    }

    @Test
    void stridedPlanesGiveTheSameResultAsPackedOnes() {
        try (FusionEngine engine = createEngine()) {
            Plane vis = randomPlane(40, 30, 5);
            Plane ir = randomPlane(40, 30, 6);
            byte[] packed = fuseOnce(engine, vis, ir);
            Plane visStrided = Plane.wrap(java.nio.ByteBuffer.allocateDirect(64 * 30), 40, 30, 64);
            Plane irStrided = Plane.wrap(java.nio.ByteBuffer.allocateDirect(64 * 30), 40, 30, 64);
            Plane outStrided = Plane.wrap(java.nio.ByteBuffer.allocateDirect(64 * 30), 40, 30, 64);
            visStrided.copyFrom(vis);
            irStrided.copyFrom(ir);
            try (FusionSession s = engine.openSession(40, 30)) {
                s.fuse(visStrided, irStrided, outStrided);
            }
            assertArrayEquals(packed, outStrided.toArray());
        }
    }

    @Test
    void closingTwiceIsSafeAndUseAfterCloseFailsCleanly() {
        FusionEngine engine = createEngine();
        FusionSession session = engine.openSession(16, 16);
        Plane p = randomPlane(16, 16, 7);
        Plane out = Plane.allocate(16, 16);
        session.close();
        assertDoesNotThrow(session::close);
        assertThrows(IllegalStateException.class, () -> session.fuse(p, p, out));
        engine.close();
        assertDoesNotThrow(engine::close);
        assertThrows(IllegalStateException.class, () -> engine.openSession(16, 16));
    }
}
