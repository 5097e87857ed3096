package io.ivfuse.quality.evaluation;

import io.ivfuse.quality.metric.Convention;
import io.ivfuse.quality.metric.Metric;
import io.ivfuse.quality.metric.MetricImage;
import io.ivfuse.quality.metric.Triplet;
import io.ivfuse.IvfuseException;
import io.ivfuse.metrics.ProgressBar;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * Evaluates fused images of several methods over a set of pairs, in parallel across pairs (a fixed
 * pool), each pair's sources read once. A bad image costs only its own rows: the problem is
 * recorded as a one-line error and the others go on.
 */
public final class Evaluation {
    private static final int THUMB_WIDTH = 160;

    private final List<Metric> metrics;
    private final int threads;
    private final boolean resize;
    private final Path thumbnailDir;
    private final Convention convention;

    /**
     * @param convention the metrics' convention; it says what the pair's two sources are
     * @param thumbnailDir where PNG thumbnails go (its parent holds the report), or null for none
     */
    public Evaluation(Convention convention, List<Metric> metrics, int threads, boolean resize, Path thumbnailDir) {
        this.convention = convention;
        this.metrics = List.copyOf(metrics);
        this.threads = Math.max(1, threads);
        this.resize = resize;
        this.thumbnailDir = thumbnailDir;
    }

    public EvaluationResult run(PairSet pairs, Map<String, Map<String, Path>> fusedByMethod, PrintWriter progressOut) {
        EvaluationResult result = new EvaluationResult();
        for (var m : fusedByMethod.entrySet()) {
            for (PairSet.Pair p : pairs.pairs()) {
                if (!m.getValue().containsKey(p.name())) {
                    result.error("method '" + m.getKey() + "': no fused image for pair '" + p.name() + "'");
                }
            }
        }
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ProgressBar bar = new ProgressBar(progressOut, "evaluate", "pairs", done::get, pairs.pairs().size())) {
            List<Future<?>> futures = new ArrayList<>();
            for (PairSet.Pair p : pairs.pairs()) {
                futures.add(pool.submit(() -> {
                    try {
                        evaluatePair(p, fusedByMethod, result);
                    } catch (IvfuseException e) {
                        result.error(e.getMessage());
                    } catch (RuntimeException e) {
                        result.error("pair '" + p.name() + "': " + e);
                    } finally {
                        done.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IvfuseException("evaluation interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return result;
    }

    private void evaluatePair(PairSet.Pair p, Map<String, Map<String, Path>> fusedByMethod, EvaluationResult result) {
        MetricImage vis = ImageFiles.read(p.visible());
        MetricImage ir = ImageFiles.read(p.infrared());
        if (convention.exposures()) {
            // Under-exposure in the infrared place, over-exposure in the visible place, resized to the under's size.
            vis = ExposureChecks.check(p, ir, vis, result);
        } else if (!ir.sameSize(vis)) {
            if (!resize) {
                throw new IvfuseException("pair '" + p.name() + "': infrared is " + ir.width() + "x" + ir.height()
                        + " but visible is " + vis.width() + "x" + vis.height() + " (use --resize to resize the infrared image)");
            }
            ir = ImageFiles.read(p.infrared(), vis.width(), vis.height());
        }
        thumbnail(result, p.name(), convention.sourceNames().get(0), ir);
        thumbnail(result, p.name(), convention.sourceNames().get(1), vis);
        // Every method's fused image of this pair shares what is derived from the pair's sources.
        Triplet.Sources sources = Triplet.sources(ir, vis);
        for (var m : fusedByMethod.entrySet()) {
            Path file = m.getValue().get(p.name());
            if (file == null) {
                continue;
            }
            try {
                MetricImage fused = ImageFiles.read(file);
                if (convention.exposures() && fused.isColour() != vis.isColour()) {
                    result.warning("fused image " + file + " is " + (fused.isColour() ? "colour" : "gray") + " but pair '"
                            + p.name() + "' is " + (vis.isColour() ? "colour" : "gray") + ": "
                            + (fused.isColour() ? "the gray exposures are scored against every channel"
                                    : "the exposures are scored through rgb2gray"));
                }
                if (!fused.sameSize(vis)) {
                    throw new IvfuseException("fused image " + file + " is " + fused.width() + "x" + fused.height()
                            + " but pair '" + p.name() + "' is " + vis.width() + "x" + vis.height());
                }
                Triplet triplet = sources.with(fused);
                for (Metric metric : metrics) {
                    result.add(new EvaluationResult.Row(p.name(), m.getKey(), metric.name(), metric.compute(triplet)));
                }
                thumbnail(result, p.name(), m.getKey(), fused);
            } catch (IvfuseException e) {
                result.error(e.getMessage());
            }
        }
    }

    private void thumbnail(EvaluationResult result, String pair, String column, MetricImage img) {
        if (thumbnailDir == null) {
            return;
        }
        String name = (pair + "__" + column).replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
        Path file = thumbnailDir.resolve(name);
        try {
            Files.createDirectories(thumbnailDir);
            ImageIO.write(scaled(img), "png", file.toFile());
            result.thumbnail(pair, column, thumbnailDir.getFileName() + "/" + name);
        } catch (IOException e) {
            result.error("cannot write thumbnail " + file + ": " + e.getMessage());
        }
    }

    /** Nearest-neighbour thumbnail, THUMB_WIDTH wide. */
    static BufferedImage scaled(MetricImage img) {
        int tw = Math.min(THUMB_WIDTH, img.width());
        int th = Math.max(1, (int) Math.round((double) img.height() * tw / img.width()));
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < th; y++) {
            int sy = (int) ((long) y * img.height() / th);
            for (int x = 0; x < tw; x++) {
                int i = sy * img.width() + (int) ((long) x * img.width() / tw);
                int r = clamp(img.channel(0)[i]);
                int g = img.isColour() ? clamp(img.channel(1)[i]) : r;
                int b = img.isColour() ? clamp(img.channel(2)[i]) : r;
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
