package io.ivfuse.fusion.classical;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;
import java.lang.management.ManagementFactory;

/** Measures the heap bytes the current thread allocates while a session fuses frames. */
final class AllocationProbe {
    private AllocationProbe() {
    }

    /** Average bytes allocated per {@code fuse} call over {@code calls} calls, after a warm-up. */
    static double bytesPerFuse(FusionSession session, Plane vis, Plane ir, Plane out, int calls) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 300; i++) {
            session.fuse(vis, ir, out);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls; i++) {
            session.fuse(vis, ir, out);
        }
        long after = threads.getThreadAllocatedBytes(thread);
        return (after - before) / (double) calls;
    }
}
