package io.ivfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ivfuse.frame.Plane;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract every fusion engine keeps. An engine's test class extends this and says how to
 * create the engine; engine-specific properties go in the subclass.
 */
public abstract class FusionEngineContract {

    /** A fresh engine for one test; the test closes it. */
    protected abstract FusionEngine createEngine();

    protected static Plane randomPlane(int width, int height, long seed) {
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
    protected static void assertEveryValuePair(FusionEngine engine, java.util.function.IntBinaryOperator expected) {
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

    protected static byte[] fuseOnce(FusionEngine engine, Plane vis, Plane ir) {
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

    @Test
    void fusesAnyFrameSizeIncludingOddOnes() {
        int[][] sizes = {{1, 1}, {17, 13}, {63, 5}, {640, 480}, {322, 241}};
        try (FusionEngine engine = createEngine()) {
            for (int[] wh : sizes) {
                Plane vis = randomPlane(wh[0], wh[1], 3);
                Plane ir = randomPlane(wh[0], wh[1], 4);
                assertDoesNotThrow(() -> fuseOnce(engine, vis, ir), () -> wh[0] + "x" + wh[1]);
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
