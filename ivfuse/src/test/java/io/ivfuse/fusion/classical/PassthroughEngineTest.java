package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngines;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassthroughEngineTest extends FusionEngineContract {

    @Override
    protected FusionEngine createEngine() {
        return FusionEngines.create("passthrough", EngineOptions.defaults());
    }

    @Override
    protected List<Golden> goldens(FusionEngine engine, int width, int height) {
        return List.of(pixelwise("the visible pixel", width, height, (v, i) -> v));
    }

    @Test
    void returnsTheVisibleFrameUnchanged() {
        Plane vis = randomPlane(33, 21, 11);
        Plane ir = randomPlane(33, 21, 12);
        try (FusionEngine engine = createEngine()) {
            assertArrayEquals(vis.toArray(), fuseOnce(engine, vis, ir));
        }
    }
}
