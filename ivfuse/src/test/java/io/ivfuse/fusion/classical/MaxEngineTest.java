package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaxEngineTest extends FusionEngineContract {

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("max", EngineOptions.defaults());
    }

    @Override
    protected List<Golden> goldens(FusionEngine engine, int width, int height) {
        return List.of(pixelwise("max(vis, ir) per pixel", width, height, Math::max));
    }

    @Test
    void everyPairOfValuesGivesTheLargerOne() {
        try (FusionEngine engine = createEngine()) {
            assertEveryValuePair(engine, Math::max);
        }
    }

    @Test
    void resultIsNeverBelowEitherSourceAndIsOneOfThem() {
        int[][] sizes = {{640, 480}, {37, 11}, {1, 1}};
        try (FusionEngine engine = createEngine()) {
            for (int[] wh : sizes) {
                Plane vis = randomPlane(wh[0], wh[1], 21);
                Plane ir = randomPlane(wh[0], wh[1], 22);
                byte[] out = fuseOnce(engine, vis, ir);
                byte[] v = vis.toArray();
                byte[] r = ir.toArray();
                for (int i = 0; i < out.length; i++) {
                    int f = out[i] & 0xFF;
                    int a = v[i] & 0xFF;
                    int b = r[i] & 0xFF;
                    String where = wh[0] + "x" + wh[1] + " pixel " + i;
                    assertTrue(f >= a && f >= b, where + ": " + f + " below " + a + " or " + b);
                    assertTrue(f == a || f == b, where + ": " + f + " is neither " + a + " nor " + b);
                }
            }
        }
    }

    @Test
    void fusingAllocatesNothingOnceWarm() {
        try (FusionEngine engine = createEngine(); FusionSession s = engine.openSession(640, 480)) {
            double perCall = AllocationProbe.bytesPerFuse(s, randomPlane(640, 480, 1), randomPlane(640, 480, 2),
                    Plane.allocate(640, 480), 100);
            assertTrue(perCall < 1024, perCall + " bytes allocated per fuse");
        }
    }
}
