package io.ivfuse.fusion;

import io.ivfuse.frame.Plane;

/** Test-only engine {@code test-average}: fused = (visible + infrared + 1) / 2, exactly. */
public final class TestAverageEngineProvider implements FusionEngineProvider {

    @Override
    public String name() {
        return "test-average";
    }

    @Override
    public String description() {
        return "exact rounded average (tests only)";
    }

    @Override
    public int rank() {
        return -100;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return new FusionEngine() {
            @Override
            public String name() {
                return "test-average";
            }

            @Override
            public FusionSession openSession(int width, int height) {
                return new FusionSession() {
                    @Override
                    public void fuse(Plane visibleY, Plane infrared, Plane fused) {
                        for (int y = 0; y < height; y++) {
                            for (int x = 0; x < width; x++) {
                                fused.set(x, y, (visibleY.get(x, y) + infrared.get(x, y) + 1) / 2);
                            }
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
