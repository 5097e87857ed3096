package io.ivfuse.fusion.classical;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;
import org.junit.jupiter.api.Test;

/** The probe the engines' allocation tests rely on does see allocations. */
class AllocationProbeTest {
    private static volatile byte[] sink;

    @Test
    void seesASessionThatAllocatesPerFrame() {
        FusionSession wasteful = new FusionSession() {
            @Override
            public void fuse(Plane visibleY, Plane infrared, Plane fused) {
                sink = new byte[4096];
            }

            @Override
            public void close() {
            }
        };
        Plane p = Plane.allocate(8, 8);
        double perCall = AllocationProbe.bytesPerFuse(wasteful, p, p, Plane.allocate(8, 8), 100);
        assertTrue(perCall >= 4096, "probe saw only " + perCall + " bytes per call");
    }
}
