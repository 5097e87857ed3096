package io.ivfuse.fusion.classical;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;

/**
 * {@code average}: fused = (visible + infrared + 1) >> 1, the exact integer mean of the two planes
 * rounded half up (the field's reference rule {@code fused = (IR + VIS + 1) div 2}). A baseline:
 * it halves the contrast of anything present in only one source.
 */
public final class AverageEngineProvider extends ClassicalEngineProvider {
    public static final String NAME = "average";

    public AverageEngineProvider() {
        super(NAME, "pixel average, fused = (vis + ir + 1) >> 1", 10);
    }

    @Override
    ClassicalEngine.SessionFactory sessions(EngineOptions options) {
        return AverageSession::new;
    }

    /**
     * OpenCV's vectorised addWeighted computes vis/2 + ir/2 + 1/4 exactly in float and rounds to
     * nearest: (2k)/2 + 1/4 rounds to k and (2k+1)/2 + 1/4 to k + 1, which is (vis + ir + 1) >> 1.
     * Faster than packed-long Java loops (see benchmarks/engines.md).
     */
    private static final class AverageSession extends ClassicalSession {
        AverageSession(int width, int height) {
            super(width, height);
        }

        @Override
        protected void fuseChecked(Plane visibleY, Plane infrared, Plane fused) {
            addWeighted(views.of(visibleY), 0.5, views.of(infrared), 0.5, 0.25, views.of(fused));
        }
    }
}
