package io.ivfuse.fusion.image;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.metrics.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuses every scene of an {@link ExposureSet} with one {@code mef} engine into
 * {@code <out>/<name>.png}, one scene after another (a pair takes milliseconds; reading and writing
 * the files dominates). Warnings about repaired inputs go to {@code log} as they come.
 */
public final class BatchExposureFusion {

    private BatchExposureFusion() {
    }

    /** Fuses all scenes; returns one line per scene that failed (the others are written). */
    public static List<String> fuseAll(String engineName, Path model, ExposureSet set, Path outDir, PrintWriter log) {
        List<String> errors = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        try (FusionEngine engine = FusionEngines.create(engineName, FusionMode.MEF, new EngineOptions(model, 0, Map.of()));
                ExposureImageFuser fuser = new ExposureImageFuser(engine);
                ProgressBar bar = new ProgressBar(log, "fuse " + engineName, "scenes", done::get, set.brackets().size())) {
            for (ExposureSet.Bracket b : set.brackets()) {
                try {
                    fuser.fuseToFile(b.name(), b.exposures(), outDir.resolve(b.name() + ".png"), log::println);
                } catch (IvfuseException e) {
                    errors.add(e.getMessage());
                } finally {
                    done.incrementAndGet();
                }
            }
        }
        return List.copyOf(errors);
    }
}
