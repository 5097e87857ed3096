package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.image.BatchExposureFusion;
import io.ivfuse.fusion.image.BatchImageFusion;
import io.ivfuse.fusion.image.ExposureSet;
import io.ivfuse.job.Natives;
import io.ivfuse.quality.evaluation.PairSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse fuse-images}: fuses the pairs of a folder into PNG files: infrared + visible with
 * colour recombined as the pipeline does, or ({@code --mode mef}) exposure pairs into colour images.
 */
@Command(name = "fuse-images", mixinStandardHelpOptions = true,
        description = {"Fuses image pairs (DIR/ir, DIR/vis, matched by file name) into <pair>.png files.",
                "With --mode mef: exposure pairs DIR/<name>/A.* + B.* (A the darker), or MEFB's "
                        + "DIR/<name>/<name>_A.* + <name>_B.*, into <name>.png."})
public final class FuseImagesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", required = true, paramLabel = "DIR",
            description = "folder with ir/ and vis/ (mef: one sub-folder per scene)")
    Path pairs;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "ir-vis",
            description = "ir-vis (infrared + visible, default) or mef (multi-exposure fusion)")
    String mode;

    @Option(names = "--engine", required = true, paramLabel = "NAME", description = "fusion engine name")
    String engine;

    @Option(names = "--model", paramLabel = "FILE", description = "model file for learned engines")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
    Path output;

    @Option(names = "--resize", description = "resize infrared images to the visible size instead of failing (mef: exposures are always resized, with a warning)")
    boolean resize;

    @Option(names = "--threads", description = "worker threads (default: available processors; mef fuses one scene at a time)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (FusionMode.parse(mode) == FusionMode.MEF) {
            return fuseExposures(err);
        }
        PairSet set = PairSet.scan(pairs);
        Natives.opencv();
        set.unmatched().forEach(u -> err.println("unmatched: " + u));
        List<String> errors = BatchImageFusion.fuseAll(engine, model, set, output, resize, threads, err);
        errors.forEach(err::println);
        int ok = set.pairs().size() - errors.size();
        err.println("fused " + ok + " of " + set.pairs().size() + " pairs into " + output);
        err.flush();
        if (!errors.isEmpty() || !set.unmatched().isEmpty()) {
            throw new IvfuseException(errors.size() + " pair(s) failed and " + set.unmatched().size()
                    + " file(s) unmatched (listed above)");
        }
        return 0;
    }

    private int fuseExposures(PrintWriter err) {
        ExposureSet set = ExposureSet.scan(pairs);
        Natives.opencv();
        set.unmatched().forEach(u -> err.println("unmatched: " + u));
        List<String> errors = BatchExposureFusion.fuseAll(engine, model, set, output, err);
        errors.forEach(err::println);
        err.println("fused " + (set.brackets().size() - errors.size()) + " of " + set.brackets().size()
                + " exposure pairs into " + output);
        err.flush();
        if (!errors.isEmpty() || !set.unmatched().isEmpty()) {
            throw new IvfuseException(errors.size() + " scene(s) failed and " + set.unmatched().size()
                    + " folder(s) unmatched (listed above)");
        }
        return 0;
    }
}
