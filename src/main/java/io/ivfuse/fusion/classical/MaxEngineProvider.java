package io.ivfuse.fusion.classical;

import static org.bytedeco.opencv.global.opencv_core.max;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;

/**
 * {@code max}: fused = max(visible, infrared) per pixel. Keeps hot (bright) infrared targets at
 * full strength, but loses dark detail that only one source shows.
 */
public final class MaxEngineProvider implements FusionEngineProvider {
    public static final String NAME = "max";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "pixel maximum, fused = max(vis, ir)";
    }

    @Override
    public int rank() {
        return 10;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return new ClassicalEngine(NAME, MaxSession::new);
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
