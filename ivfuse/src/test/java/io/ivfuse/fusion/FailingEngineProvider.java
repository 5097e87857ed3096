package io.ivfuse.fusion;

import io.ivfuse.frame.Plane;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only engine {@code test-fail}: fuses like {@code max} and throws at the frame given by the
 * {@code at} parameter (never, when absent). It records the threads that opened and closed its
 * sessions, for lifecycle tests.
 */
public final class FailingEngineProvider implements FusionEngineProvider {
    /** "open:thread" and "close:thread" entries, in order, for every session of this JVM. */
    public static final List<String> SESSION_EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "test-fail";
    }

    @Override
    public String description() {
        return "max, throwing at frame 'at' (tests only)";
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
    public java.util.Set<String> parameters() {
        return java.util.Set.of("at");
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        long failAt = Long.parseLong(options.params().getOrDefault("at", "-1"));
        return new FusionEngine() {
            @Override
            public String name() {
                return "test-fail";
            }

            @Override
            public FusionSession openSession(int width, int height) {
                SESSION_EVENTS.add("open:" + Thread.currentThread().getName());
                return new FusionSession() {
                    long frames;

                    @Override
                    public void fuse(Plane visibleY, Plane infrared, Plane fused) {
                        if (frames++ == failAt) {
                            throw new IllegalStateException("engine failure injected at frame " + failAt);
                        }
                        for (int y = 0; y < height; y++) {
                            for (int x = 0; x < width; x++) {
                                fused.set(x, y, Math.max(visibleY.get(x, y), infrared.get(x, y)));
                            }
                        }
                    }

                    @Override
                    public void close() {
                        SESSION_EVENTS.add("close:" + Thread.currentThread().getName());
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
