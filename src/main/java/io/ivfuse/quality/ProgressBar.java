package io.ivfuse.quality;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress display on stderr: done/total, rate and ETA, redrawn with a carriage return. */
public final class ProgressBar {
    private final String label;
    private final int total;
    private final PrintStream out;
    private final AtomicInteger done = new AtomicInteger();
    private final long start = System.nanoTime();

    public ProgressBar(String label, int total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
    }

    public void step() {
        int d = done.incrementAndGet();
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        double rate = d / secs;
        long eta = Math.round((total - d) / Math.max(rate, 1e-9));
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) d * width / total);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        synchronized (out) {
            out.printf("\r%s [%s] %d/%d  %.1f/s  ETA %ds ", label, bar, d, total, rate, eta);
            if (d == total) {
                out.println();
            }
            out.flush();
        }
    }
}
