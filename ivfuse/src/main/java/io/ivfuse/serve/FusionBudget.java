package io.ivfuse.serve;

import com.codahale.metrics.Timer;
import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionSession;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The service-wide budget of frames fused at once: a fair (FIFO) semaphore taken for each fused
 * frame. Every pair runs the same number of fusion threads, each asking for one permit per frame,
 * so when the CPU can't keep up the permits go round the pairs in turn: each pair gets the same
 * share, and each pair's ring fills and drops its oldest frames by the same policy (drop-oldest),
 * instead of the fastest-asking pair taking the cores. A permit round trip costs well under a
 * microsecond uncontended; a wait (the CPU saturated) allocates the semaphore's queue node.
 */
final class FusionBudget {
    private final int permits;
    private final Semaphore semaphore;

    FusionBudget(int permits) {
        this.permits = permits;
        this.semaphore = new Semaphore(permits, true);
    }

    int permits() {
        return permits;
    }

    /** Frames being fused now, all pairs together. */
    int inUse() {
        return permits - semaphore.availablePermits();
    }

    /** {@code session} fusing under the budget; the wait for a permit goes to {@code waits}. */
    FusionSession budgeted(FusionSession session, Timer waits) {
        return new FusionSession() {
            @Override
            public void fuse(Plane visibleY, Plane infrared, Plane fused) {
                acquire(waits);
                try {
                    session.fuse(visibleY, infrared, fused);
                } finally {
                    semaphore.release();
                }
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** An exposure session ({@code --mode mef}) fusing under the same budget. */
    ExposureFusionSession budgeted(ExposureFusionSession session, Timer waits) {
        return new ExposureFusionSession() {
            @Override
            public void fuse(YuvPlanes[] exposures, YuvPlanes fused) {
                acquire(waits);
                try {
                    session.fuse(exposures, fused);
                } finally {
                    semaphore.release();
                }
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** Takes a permit, the wait timed into {@code waits}; the caller releases it. */
    private void acquire(Timer waits) {
        long t0 = System.nanoTime();
        semaphore.acquireUninterruptibly();
        waits.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
}
