package io.ivfuse.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.ivfuse.IvfuseException;
import io.ivfuse.job.Natives;
import io.ivfuse.registration.AutoCalibrator;
import io.ivfuse.registration.Calibration;
import io.ivfuse.registration.Correspondences;
import io.ivfuse.registration.FrameSize;
import io.ivfuse.registration.Homography;
import io.ivfuse.registration.PointCalibrator;
import io.ivfuse.registration.RegistrationOverlay;
import io.ivfuse.registration.ui.CalibrationUi;
import io.ivfuse.registration.VideoCalibration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse calibrate --ir IMG --vis IMG -o calib.yaml [--points FILE]}: the IR-to-visible
 * registration of a camera rig, written as an OpenCV FileStorage file for the pipeline's
 * registration stage, with an overlay picture beside it. From point pairs it fits robustly
 * ({@link PointCalibrator}), pairs read from a file or clicked in a local page ({@link CalibrationUi});
 * from the images alone it searches ({@link AutoCalibrator}) and refuses, exit 2, when it is not
 * confident, writing its best guess only under another name.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Estimates the IR-to-visible homography (or affine) of a camera rig, from point pairs (--points,"
                + " or clicked in a page: --ui) or automatically from one image pair of the same scene (--ir/--vis)"
                + " or from N frame pairs of two recordings (--ir-video/--vis-video --frames N).",
                "Writes an OpenCV FileStorage YAML file (key H or A, with ir_size and vis_size) and an overlay picture"
                + " NAME.overlay.png beside it. Automatic calibration that is not confident enough is refused (exit 2);"
                + " its best guess goes to NAME.unconfirmed.yaml, never to the -o file."})
public final class CalibrateCommand implements Callable<Integer> {
    private static final String UI_OUTPUT = "calibration.yaml";

    @Option(names = "--ir", paramLabel = "IMG", description = "IR image (any format OpenCV reads)")
    Path ir;

    @Option(names = "--vis", paramLabel = "IMG", description = "visible image of the same scene")
    Path vis;

    @Option(names = "--ir-video", paramLabel = "FILE", description = "instead of --ir/--vis: an IR recording of the rig"
            + " (with --vis-video and --frames)")
    Path irVideo;

    @Option(names = "--vis-video", paramLabel = "FILE", description = "the visible recording made at the same time")
    Path visVideo;

    @Option(names = "--frames", defaultValue = "5", paramLabel = "N", description = "videos: frame pairs (paired by"
            + " timestamp) spread over the time both recordings cover, whose results are pooled (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "calibration file to write (required, but with --ui: default " + UI_OUTPUT + ")")
    Path output;

    @Option(names = "--model", defaultValue = "homography", paramLabel = "MODEL",
            description = "homography (8 parameters, default) or affine (6)")
    String model;

    @Option(names = "--points", paramLabel = "FILE",
            description = "IR/visible point pairs: CSV lines x_ir,y_ir,x_vis,y_vis, or an OpenCV FileStorage file with Nx2"
                    + " matrices ir_points and vis_points; at least 4 pairs (3 for affine), fitted with RANSAC")
    Path points;

    @Option(names = "--min-confidence", defaultValue = "" + AutoCalibrator.ACCEPT_CONFIDENCE, paramLabel = "C",
            description = "automatic mode: refuse a result whose confidence (0..1) is below this (default: ${DEFAULT-VALUE});"
                    + " a result with an edge correlation under 0.15, or that the edge-orientation check moves by more than"
                    + " 1.5 px, has at most 0.49")
    double minConfidence;

    @Option(names = "--ui", description = "click the point pairs in a web page on 127.0.0.1 (its address is printed),"
            + " which shows the RMS error, the outliers and a preview live; Save writes the file and exits,"
            + " Ctrl-C writes nothing")
    boolean ui;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N", description = "--ui: the page's port (default: a free one)")
    int port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Calibration.Model motion = parseModel(model);
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IvfuseException("--min-confidence must be between 0 and 1, got " + minConfidence);
        }
        if (ui && points != null) {
            throw new IvfuseException("--ui and --points are alternatives: the page collects the point pairs");
        }
        if (output == null && !ui) {
            throw new IvfuseException("missing -o/--output FILE: the calibration file to write");
        }
        if (port < 0 || port > 65535) {
            throw new IvfuseException("--port must be between 0 and 65535, got " + port);
        }
        Path file = output != null ? output : Path.of(UI_OUTPUT);
        PrintWriter out = spec.commandLine().getOut();
        if (irVideo != null || visVideo != null) {
            return fromVideos(motion, out);
        }
        if (ir == null || vis == null) {
            throw new IvfuseException("give --ir and --vis images, or --ir-video and --vis-video recordings");
        }
        List<Correspondences.Pair> pairs = points == null ? null : Correspondences.read(points);
        try (Images images = Images.read(ir, vis)) {
            if (pairs != null) {
                images.save(new PointCalibrator().fit(pairs, images.irSize(), images.visSize(), motion), file, out);
                return 0;
            }
            if (ui) {
                clickPoints(images, motion, file, out);
                return 0;
            }
            AutoCalibrator.Result r = new AutoCalibrator().calibrate(images.ir, images.vis, motion);
            out.println(describe(r.calibration()));
            out.println(String.format(Locale.ROOT, "confidence %.2f (%d of %d alignment hypotheses agree; ECC correlation of"
                    + " the aligned edge images %.3f, %.3f above the best different alignment; edge orientations move it"
                    + " %.1f px)", r.confidence(), r.support(), r.hypotheses(), r.correlation(), r.rivalMargin(),
                    r.orientationShift()));
            if (!r.accepted()) {
                out.println("not accepted by default: " + r.reason());
            }
            return saveOrRefuse(images, r.calibration(), r.confidence(), String.format(Locale.ROOT,
                    "%d of %d alignment hypotheses agree", r.support(), r.hypotheses()), out);
        }
    }

    /** Serves the page until it saved a fit to {@code file} (or was quit: an error, nothing written). */
    private void clickPoints(Images images, Calibration.Model motion, Path file, PrintWriter out) throws InterruptedException {
        try (CalibrationUi page = new CalibrationUi(images.ir, images.vis, motion, port, fit -> images.save(fit, file, out))) {
            out.println("click the point pairs at " + page.url() + " (Save writes " + file + "; Ctrl-C quits without writing)");
            out.flush();
            page.awaitSave();
        }
    }

    /** {@code --ir-video/--vis-video}: the consensus of the calibrations of sampled frame pairs. */
    private int fromVideos(Calibration.Model motion, PrintWriter out) {
        if (irVideo == null || visVideo == null || ir != null || vis != null || points != null || ui) {
            throw new IvfuseException("--ir-video and --vis-video go together, without --ir, --vis, --points or --ui");
        }
        Natives.opencv();
        VideoCalibration.Result r = VideoCalibration.calibrate(irVideo, visVideo, frames, motion);
        try (Images images = new Images(r.ir(), r.vis())) {
            for (VideoCalibration.Sample s : r.samples()) {
                out.println(String.format(Locale.ROOT, "frame pair at visible %.3f s, IR %.3f s: %s", s.visUs() / 1e6,
                        s.irUs() / 1e6, s.result() == null ? "failed: " + s.failure() : String.format(Locale.ROOT,
                                "confidence %.2f, correlation %.3f, %s", s.result().confidence(), s.result().correlation(),
                                s.agrees() ? "agrees" : "disagrees")));
            }
            out.println(describe(r.calibration()));
            out.println(String.format(Locale.ROOT, "confidence %.2f (%d of %d frame pairs agree within %.0f px; %d alignment"
                    + " hypotheses over them; ECC correlation of the aligned edge images %.3f)", r.confidence(), r.agreeing(),
                    r.samples().size(), VideoCalibration.AGREE_PX, r.support(), r.best().correlation()));
            if (!r.accepted()) {
                out.println("not accepted by default: " + r.reason());
            }
            return saveOrRefuse(images, r.calibration(), r.confidence(), String.format(Locale.ROOT,
                    "%d of %d frame pairs agree", r.agreeing(), r.samples().size()), out);
        }
    }

    /** Writes the -o file at or above --min-confidence; below, the best guess under another name, then the refusal. */
    private int saveOrRefuse(Images images, Calibration calibration, double confidence, String agreement, PrintWriter out) {
        if (confidence < minConfidence) {
            Path guess = unconfirmedPath(output);
            images.save(calibration, guess, out);
            out.flush();
            throw new IvfuseException(String.format(Locale.ROOT, "calibration refused: confidence %.2f is below %.2f"
                    + " (%s); nothing written to %s; the best guess is in %s (check its overlay), or calibrate from"
                    + " point pairs with --points", confidence, minConfidence, agreement, output, guess));
        }
        images.save(calibration, output, out);
        return 0;
    }

    /** {@code calib.yaml} -> {@code calib.unconfirmed.yaml}. */
    static Path unconfirmedPath(Path output) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".yaml";
        return output.resolveSibling(stem + ".unconfirmed" + ext);
    }

    static String describe(Calibration c) {
        Homography h = c.irToVis();
        StringBuilder sb = new StringBuilder();
        sb.append(c.model() == Calibration.Model.AFFINE ? "A" : "H")
                .append(" (IR ").append(c.irSize()).append(" pixels -> visible ").append(c.visSize()).append(" pixels):");
        int rows = c.model() == Calibration.Model.AFFINE ? 2 : 3;
        for (int r = 0; r < rows; r++) {
            sb.append(String.format(Locale.ROOT, "%n  [ %14.8g %14.8g %14.8g ]", h.get(r, 0), h.get(r, 1), h.get(r, 2)));
        }
        return sb.toString();
    }

    private static Calibration.Model parseModel(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "homography" -> Calibration.Model.HOMOGRAPHY;
            case "affine" -> Calibration.Model.AFFINE;
            default -> throw new IvfuseException("--model must be homography or affine, got '" + name + "'");
        };
    }

    /** The two images, decoded (an OpenCV owner: loading the command for --help loads no OpenCV class). */
    private record Images(Mat ir, Mat vis) implements AutoCloseable {
        static Images read(Path ir, Path vis) {
            Natives.opencv();
            Mat irImage = read(ir, "--ir");
            try {
                return new Images(irImage, read(vis, "--vis"));
            } catch (RuntimeException e) {
                irImage.close();
                throw e;
            }
        }

        FrameSize irSize() {
            return new FrameSize(ir.cols(), ir.rows());
        }

        FrameSize visSize() {
            return new FrameSize(vis.cols(), vis.rows());
        }

        /** Writes the calibration and its overlay picture, and says where. */
        List<Path> save(Calibration calibration, Path file, PrintWriter out) {
            calibration.save(file);
            Path overlay = RegistrationOverlay.pathFor(file);
            RegistrationOverlay.write(ir, vis, calibration, overlay);
            out.println("wrote " + file + " and " + overlay);
            out.flush();
            return List.of(file, overlay);
        }

        /** Reports a fit from point pairs (its matrix, RMS error and outliers), then saves it. */
        List<Path> save(PointCalibrator.Fit fit, Path file, PrintWriter out) {
            out.println(describe(fit.calibration()));
            out.println(fit.summary());
            return save(fit.calibration(), file, out);
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

        @Override
        public void close() {
            ir.close();
            vis.close();
        }
    }
}
