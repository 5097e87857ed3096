package io.ivfuse.fusion.classical;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;

/**
 * {@code passthrough}: fused = visible (the infrared is ignored). Not a fusion rule: it measures
 * what the pipeline costs without fusion (decode, pair, register, encode) and checks wiring.
 */
public final class PassthroughEngineProvider extends ClassicalEngineProvider {
    public static final String NAME = "passthrough";

    public PassthroughEngineProvider() {
        super(NAME, "no fusion, fused = vis (baseline for benchmarks)", 0);
    }

    @Override
    ClassicalEngine.SessionFactory sessions(EngineOptions options) {
        return CopySession::new;
    }

    private static final class CopySession extends ClassicalSession {
        CopySession(int width, int height) {
            super(width, height);
        }

        @Override
        protected void fuseChecked(Plane visibleY, Plane infrared, Plane fused) {
            fused.copyFrom(visibleY);
        }
    }
}
