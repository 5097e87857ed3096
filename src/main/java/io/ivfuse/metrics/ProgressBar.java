package io.ivfuse.metrics;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** A one-line progress display on stderr for file jobs: frames, fps and time left. */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final LongSupplier done;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;

    public ProgressBar(PrintStream out, LongSupplier done, long total) {
        this.out = out;
        this.done = done;
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ivfuse-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::draw, 500, 500, TimeUnit.MILLISECONDS);
    }

    static String render(long done, long total, double seconds) {
        double fps = seconds > 0 ? done / seconds : 0;
        if (total <= 0) {
            return String.format("%d frames  %.1f fps", done, fps);
        }
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        long eta = fps > 0 ? Math.round(Math.max(0, total - done) / fps) : -1;
        String etaText = eta < 0 ? "--:--" : String.format("%d:%02d", eta / 60, eta % 60);
        return String.format("[%s%s] %d/%d frames  %.1f fps  ETA %s",
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, fps, etaText);
    }

    private void draw() {
        out.print("\r" + render(done.getAsLong(), total, (System.nanoTime() - startNanos) / 1e9) + "  ");
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
