package io.ivfuse.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.HomographyEstimator;
import io.ivfuse.registration.Homography;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse calibrate --ir IMG --vis IMG -o calib.yaml}: estimates the IR-to-visible
 * registration from one image pair of the same scene and writes it as an OpenCV FileStorage file
 * for the pipeline's registration stage.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Estimates the IR-to-visible homography (or affine) of a camera rig from one image pair.",
                "The images must show the same scene roughly aligned (a few percent of the frame apart); writes an"
                + " OpenCV FileStorage YAML file (key H or A, with ir_size and vis_size)."})
public final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--ir", required = true, paramLabel = "IMG", description = "IR image (any format OpenCV reads)")
    Path ir;

    @Option(names = "--vis", required = true, paramLabel = "IMG", description = "visible image of the same scene")
    Path vis;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "calibration file to write")
    Path output;

    @Option(names = "--model", defaultValue = "homography", paramLabel = "MODEL",
            description = "homography (8 parameters, default) or affine (6)")
    String model;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Calibration.Model motion = parseModel(model);
        HomographyEstimator.Estimate estimate = FromImages.estimate(ir, vis, motion);
        estimate.calibration().save(output);
        PrintWriter out = spec.commandLine().getOut();
        out.println(describe(estimate));
        out.println("wrote " + output);
        out.flush();
        return 0;
    }

    static String describe(HomographyEstimator.Estimate estimate) {
        Calibration c = estimate.calibration();
        Homography h = c.irToVis();
        StringBuilder sb = new StringBuilder();
        sb.append(c.model() == Calibration.Model.AFFINE ? "A" : "H")
                .append(" (IR ").append(c.irSize()).append(" pixels -> visible ").append(c.visSize()).append(" pixels):\n");
        int rows = c.model() == Calibration.Model.AFFINE ? 2 : 3;
        for (int r = 0; r < rows; r++) {
            sb.append(String.format(Locale.ROOT, "  [ %14.8g %14.8g %14.8g ]%n", h.get(r, 0), h.get(r, 1), h.get(r, 2)));
        }
        sb.append(String.format(Locale.ROOT, "residual: ECC correlation of the aligned gradient images %.4f"
                + " (1 = perfect; below about 0.5 the estimate is doubtful), %d pyramid levels",
                estimate.correlation(), estimate.levels()));
        return sb.toString();
    }

    private static Calibration.Model parseModel(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "homography" -> Calibration.Model.HOMOGRAPHY;
            case "affine" -> Calibration.Model.AFFINE;
            default -> throw new IvfuseException("--model must be homography or affine, got '" + name + "'");
        };
    }

    /** The OpenCV part, in a class of its own: loading the command (for --help, say) loads no OpenCV class. */
    private static final class FromImages {
        static HomographyEstimator.Estimate estimate(Path ir, Path vis, Calibration.Model motion) {
            Natives.opencv();
            try (Mat irImage = read(ir, "--ir"); Mat visImage = read(vis, "--vis")) {
                return new HomographyEstimator().estimate(irImage, visImage, motion);
            }
        }

        private static Mat read(Path file, String option) {
            if (!Files.isRegularFile(file)) {
                throw new IvfuseException(option + " image " + file + " does not exist or is not a file");
            }
            Mat image = imread(file.toString(), IMREAD_GRAYSCALE);
            if (image.empty()) {
                image.close();
                throw new IvfuseException(option + " image " + file + " could not be decoded as an image");
            }
            return image;
        }
    }
}
