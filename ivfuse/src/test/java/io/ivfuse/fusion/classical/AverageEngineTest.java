package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionSession;
import java.util.List;
import org.junit.jupiter.api.Test;

class AverageEngineTest extends FusionEngineContract {

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("average", EngineOptions.defaults());
    }

    @Override
    protected List<Golden> goldens(FusionEngine engine, int width, int height) {
        return List.of(pixelwise("(vis + ir + 1) / 2 per pixel", width, height, (v, i) -> (v + i + 1) / 2));
    }

    @Test
    void everyPairOfValuesGivesTheRoundedUpMean() {
        try (FusionEngine engine = createEngine()) {
            assertEveryValuePair(engine, (v, i) -> (v + i + 1) / 2);
        }
    }

    @Test
    void randomFramesMatchTheReferenceFormulaExactly() {
        int[][] sizes = {{640, 480}, {37, 11}, {1, 1}, {9, 3}};
        try (FusionEngine engine = createEngine()) {
            for (int[] wh : sizes) {
                Plane vis = randomPlane(wh[0], wh[1], 11);
                Plane ir = randomPlane(wh[0], wh[1], 12);
                byte[] out = fuseOnce(engine, vis, ir);
                byte[] v = vis.toArray();
                byte[] r = ir.toArray();
                for (int i = 0; i < out.length; i++) {
                    int expected = ((r[i] & 0xFF) + (v[i] & 0xFF) + 1) / 2; // fused = (IR + VIS + 1) div 2
                    assertEquals(expected, out[i] & 0xFF, wh[0] + "x" + wh[1] + " pixel " + i);
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
