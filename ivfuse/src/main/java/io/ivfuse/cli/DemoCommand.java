package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.demo.DemoRecording;
import io.ivfuse.job.FusionJob;
import io.ivfuse.job.Natives;
import io.ivfuse.metrics.RunSummary;
import io.ivfuse.registration.Calibration;
import io.ivfuse.sink.EncoderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse demo}: films a synthetic scene with a simulated visible camera (640x480, 30 fps)
 * and a simulated thermal core (320x256, 25 fps, misregistered by the homography in
 * {@code calibration/demo.yaml}), then fuses the two exactly as {@code ivfuse run} would.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Synthesize an IR/visible pair, fuse it, and say where the result is. Needs no input files.")
public final class DemoCommand implements Callable<Integer> {
    static final String CALIBRATION_RESOURCE = "/calibration/demo.yaml";
    static final int IR_WIDTH = 320;
    static final int IR_HEIGHT = 256;

    @Spec
    CommandSpec spec;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Fused video (default: ivfuse-demo/fused.mp4); the inputs are written beside it.")
    Path output = Path.of("ivfuse-demo", "fused.mp4");
    @Option(names = "--seconds", paramLabel = "S", description = "Length of the clip (default: 4).")
    double seconds = 4;
    @Option(names = "--engine", paramLabel = "NAME",
            description = "Fusion engine (default: auto: the embedded nano model through onnxruntime, laplacian without ONNX Runtime).")
    String engine = "auto";

    @Override
    public Integer call() {
        if (!(seconds > 0 && seconds <= 600)) {
            throw new IvfuseException("--seconds must be in (0, 600], got " + seconds);
        }
        Natives.ffmpeg(); // the recordings; the run loads the rest
        PrintWriter out = spec.commandLine().getOut();
        Path dir = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IvfuseException("demo output directory " + dir + " cannot be created (" + e.getMessage() + ")", e);
        }
        Path calibration = dir.resolve("demo-calibration.yaml");
        Path visible = dir.resolve("visible.mp4");
        Path infrared = dir.resolve("infrared.mp4");
        Path sideBySide = dir.resolve("side-by-side.mp4");
        Path metrics = dir.resolve("metrics.json");
        claimFolder(dir, calibration, List.of(output.toAbsolutePath(), visible, infrared, sideBySide, metrics));
        copyCalibration(calibration);
        EncoderSettings lossyButClean = new EncoderSettings("auto", 6000, null, false);
        out.println("ivfuse demo: filming the synthetic scene (" + seconds + " s)...");
        out.flush();
        DemoRecording.writeVisible(visible, 30, seconds, lossyButClean);
        DemoRecording.writeInfrared(infrared, IR_WIDTH, IR_HEIGHT, 25, seconds,
                Calibration.load(calibration).irToVis(), lossyButClean);

        IvfuseConfig config = new IvfuseConfig();
        config.input.vis = InputSpec.of(visible.toString());
        config.input.ir = InputSpec.of(infrared.toString());
        config.registration.calibration = calibration.toString();
        config.fusion.engine = engine;
        config.output.path = output.toString();
        config.output.sideBySide = sideBySide.toString();
        config.metrics.json = metrics.toString();
        config.output.overwrite = true; // the demo's own files, from its last run (claimFolder)
        RunSummary summary = new FusionJob(config, out, spec.commandLine().getErr()).run();

        out.println();
        out.println("visible input:  " + visible + " (640x480, 30 fps)");
        out.println("infrared input: " + infrared + " (" + IR_WIDTH + "x" + IR_HEIGHT + ", 25 fps, misregistered)");
        out.println("calibration:    " + calibration);
        out.println("side by side:   " + sideBySide + " (IR registered | visible | fused)");
        out.println("metrics:        " + config.metrics.json);
        out.printf("fused video:    %s (%d frames, engine %s, encoder %s)%n",
                output.toAbsolutePath(), summary.framesOut, summary.engine, summary.encoder);
        out.flush();
        return 0;
    }

    /**
     * The demo owns the folder it writes: each run replaces the files of the last one. A folder
     * without its calibration file (which the demo writes first) is someone else's, and a file of
     * the demo's names there is never overwritten.
     */
    private static void claimFolder(Path dir, Path marker, List<Path> files) {
        if (Files.exists(marker)) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f)) {
                throw new IvfuseException("demo: " + f + " exists and " + dir + " is not a folder the demo wrote (it has no "
                        + marker.getFileName() + "); choose another -o");
            }
        }
    }

    private static void copyCalibration(Path target) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(CALIBRATION_RESOURCE)) {
            if (in == null) {
                throw new IvfuseException("the jar lacks " + CALIBRATION_RESOURCE + ": rebuild it with mvn package");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IvfuseException("cannot write " + target + " (" + e.getMessage() + ")", e);
        }
    }
}
