package io.ivfuse.metrics;

import io.ivfuse.util.ThreadNames;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr, redrawn twice a second: done/total, rate and time left.
 * File jobs count frames; batch tools (evaluate, fuse-images) name their own label and unit.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final String prefix;
    private final String unit;
    private final String rateUnit;
    private final LongSupplier done;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    /** Frames of a file job: "[###   ] done/total frames  rate fps  ETA m:ss". */
    public ProgressBar(PrintWriter out, LongSupplier done, long total) {
        this(out, "", "frames", "fps", done, total);
    }

    /** Other work: "label [###   ] done/total units  rate units/s  ETA m:ss". */
    public ProgressBar(PrintWriter out, String label, String unit, LongSupplier done, long total) {
        this(out, label + " ", unit, unit + "/s", done, total);
    }

    private ProgressBar(PrintWriter out, String prefix, String unit, String rateUnit, LongSupplier done, long total) {
        this.out = out;
        this.prefix = prefix;
        this.unit = unit;
        this.rateUnit = rateUnit;
        this.done = done;
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, ThreadNames.of("ivfuse-progress"));
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::draw, 500, 500, TimeUnit.MILLISECONDS);
    }

    static String render(long done, long total, double seconds) {
        return render(done, total, seconds, "frames", "fps");
    }

    static String render(long done, long total, double seconds, String unit, String rateUnit) {
        double fps = seconds > 0 ? done / seconds : 0;
        if (total <= 0) {
            return String.format("%d %s  %.1f %s", done, unit, fps, rateUnit);
        }
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        long eta = fps > 0 ? Math.round(Math.max(0, total - done) / fps) : -1;
        String etaText = eta < 0 ? "--:--" : String.format("%d:%02d", eta / 60, eta % 60);
        return String.format("[%s%s] %d/%d %s  %.1f %s  ETA %s",
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, unit, fps, rateUnit, etaText);
    }

    private void draw() {
        out.print("\r" + prefix + render(done.getAsLong(), total, (System.nanoTime() - startNanos) / 1e9, unit, rateUnit) + "  ");
        out.flush();
    }

    @Override
    public void close() {
        if (!timer.isShutdown()) {
            timer.shutdownNow();
            draw();
            out.println();
        }
    }
}
