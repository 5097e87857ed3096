package io.ivfuse.fusion;

import io.ivfuse.frame.Plane;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test-only engine {@code test-average}: fused = (visible + infrared + 1) / 2, exactly; and its
 * twins {@code test-flicker} ({@link Flicker}) and {@code test-gate} ({@link Gated}).
 */
public class TestAverageEngineProvider implements FusionEngineProvider {
    private final String name;
    private final int flicker;

    public TestAverageEngineProvider() {
        this("test-average", 0);
    }

    private TestAverageEngineProvider(String name, int flicker) {
        this.name = name;
        this.flicker = flicker;
    }

    /**
     * Test-only engine {@code test-flicker}: {@code test-average} made {@link #LEVELS} gray levels
     * brighter on every other frame of a session, a flicker that no source has.
     */
    public static final class Flicker extends TestAverageEngineProvider {
        public static final int LEVELS = 8;

        public Flicker() {
            super("test-flicker", LEVELS);
        }
    }

    /**
     * Test-only engine {@code test-gate}: {@code test-average} whose sessions wait before frame
     * {@link #AT} until the test {@link #open}s the gate, so that a run stays in flight (its ring
     * filling up) while a test looks at it.
     */
    public static final class Gated extends TestAverageEngineProvider {
        public static final int AT = 10;
        private static volatile CountDownLatch gate = new CountDownLatch(1);

        public Gated() {
            super("test-gate", 0);
        }

        /** Closes the gate for the next run. */
        public static void shut() {
            gate = new CountDownLatch(1);
        }

        public static void open() {
            gate.countDown();
        }

        @Override
        void beforeFrame(long frame) {
            if (frame != AT) {
                return;
            }
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test-gate: the test did not open the gate within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("test-gate: interrupted at the gate", e);
            }
        }
    }

    /** Called before each frame a session fuses, with the session's frame number. */
    void beforeFrame(long frame) {
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return name + ": rounded average" + (flicker == 0 ? "" : ", flickering") + " (tests only)";
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
                return name;
            }

            @Override
            public FusionSession openSession(int width, int height) {
                return new FusionSession() {
                    long frames;

                    @Override
                    public void fuse(Plane visibleY, Plane infrared, Plane fused) {
                        beforeFrame(frames);
                        int offset = frames++ % 2 == 1 ? flicker : 0;
                        for (int y = 0; y < height; y++) {
                            for (int x = 0; x < width; x++) {
                                fused.set(x, y, Math.min(255, (visibleY.get(x, y) + infrared.get(x, y) + 1) / 2 + offset));
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
