package io.ivfuse.fusion.image;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.metrics.ProgressBar;
import io.ivfuse.quality.evaluation.PairSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuses every pair of a folder with one engine into {@code <out>/<pair>.png}, in parallel: a fixed
 * pool whose threads each hold their own {@link ImagePairFuser} (so their own sessions). Engines
 * are looked up by name in {@link FusionEngines}; any provider on the class path plugs in.
 */
public final class BatchImageFusion {

    private BatchImageFusion() {
    }

    /** Fuses all pairs; returns one line per pair that failed (the others are written). */
    public static List<String> fuseAll(String engineName, Path model, PairSet pairs, Path outDir, boolean resize,
            int threads, PrintWriter progressOut) {
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        List<ImagePairFuser> fusers = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<ImagePairFuser> perThread = new ThreadLocal<>();
        AtomicLong done = new AtomicLong();
        // The pool's workers share the cores: a session with intra-op threads of its own on top
        // would put workers x cores threads on them.
        int intraOp = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, threads));
        try (FusionEngine engine = FusionEngines.create(engineName, new EngineOptions(model, intraOp, java.util.Map.of()));
                ProgressBar bar = new ProgressBar(progressOut, "fuse " + engineName, "pairs", done::get, pairs.pairs().size())) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (PairSet.Pair p : pairs.pairs()) {
                    futures.add(pool.submit(() -> {
                        try {
                            ImagePairFuser f = perThread.get();
                            if (f == null) {
                                f = new ImagePairFuser(engine, resize);
                                perThread.set(f);
                                fusers.add(f);
                            }
                            f.fuseToFile(p.name(), p.infrared(), p.visible(), outDir.resolve(p.name() + ".png"));
                        } catch (IvfuseException e) {
                            errors.add(e.getMessage());
                        } catch (RuntimeException e) {
                            errors.add("pair '" + p.name() + "': " + e);
                        } finally {
                            done.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> fu : futures) {
                    fu.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IvfuseException("fusion interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
                fusers.forEach(ImagePairFuser::close);
            }
        }
        return List.copyOf(errors);
    }
}
