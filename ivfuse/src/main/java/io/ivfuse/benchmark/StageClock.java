package io.ivfuse.benchmark;

import io.ivfuse.IvfuseException;
import java.lang.management.ManagementFactory;

/**
 * Wall time and the process's CPU time, summed over the spans between {@link #start()} and
 * {@link #stop()}. Process CPU time counts every thread (FFmpeg's frame threads, ONNX Runtime's
 * pool, the JIT and the GC), so a stage is only timed while nothing else of ours runs.
 */
final class StageClock {
    private final com.sun.management.OperatingSystemMXBean os = processBean();
    private long wallNanos;
    private long cpuNanos;
    private long wallStart;
    private long cpuStart;
    private boolean running;

    void start() {
        running = true;
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    void stop() {
        wallNanos += System.nanoTime() - wallStart;
        cpuNanos += os.getProcessCpuTime() - cpuStart;
        running = false;
    }

    /** Wall time on the clock so far. */
    long wallNanos() {
        return wallNanos + (running ? System.nanoTime() - wallStart : 0);
    }

    /** Stops the clock while {@code untimed} runs (reopening a file that ended, say), if it is running. */
    void exclude(Runnable untimed) {
        boolean wasRunning = running;
        if (wasRunning) {
            stop();
        }
        untimed.run();
        if (wasRunning) {
            start();
        }
    }

    StageResult result(long frames) {
        return new StageResult(frames, wallNanos / 1e9, cpuNanos / 1e9);
    }

    private static com.sun.management.OperatingSystemMXBean processBean() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b
                && b.getProcessCpuTime() >= 0) {
            return b;
        }
        throw new IvfuseException("bench needs the process CPU time, which this JVM does not report");
    }
}
