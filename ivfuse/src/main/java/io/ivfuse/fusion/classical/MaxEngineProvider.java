package io.ivfuse.fusion.classical;

import static org.bytedeco.opencv.global.opencv_core.max;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;

/**
 * {@code max}: fused = max(visible, infrared) per pixel. Keeps hot (bright) infrared targets at
 * full strength, but loses dark detail that only one source shows.
 */
public final class MaxEngineProvider extends ClassicalEngineProvider {
    public static final String NAME = "max";

    public MaxEngineProvider() {
        super(NAME, "pixel maximum, fused = max(vis, ir)", 10);
    }

    @Override
    ClassicalEngine.SessionFactory sessions(EngineOptions options) {
        return MaxSession::new;
    }

    /** OpenCV's vectorised max: far faster than Java loops (see benchmarks/engines.md). */
    private static final class MaxSession extends ClassicalSession {
        MaxSession(int width, int height) {
            super(width, height);
        }

        @Override
        protected void fuseChecked(Plane visibleY, Plane infrared, Plane fused) {
            max(views.of(visibleY), views.of(infrared), views.of(fused));
        }
    }
}
