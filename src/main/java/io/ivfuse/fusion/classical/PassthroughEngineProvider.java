package io.ivfuse.fusion.classical;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;

/**
 * {@code passthrough}: fused = visible (the infrared is ignored). Not a fusion rule: it measures
 * what the pipeline costs without fusion (decode, pair, register, encode) and checks wiring.
 */
public final class PassthroughEngineProvider implements FusionEngineProvider {
    public static final String NAME = "passthrough";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "no fusion, fused = vis (baseline for benchmarks)";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return new ClassicalEngine(NAME, CopySession::new);
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
