package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.image.BatchExposureFusion;
import io.ivfuse.fusion.image.BatchImageFusion;
import io.ivfuse.fusion.image.ExposureSet;
import io.ivfuse.job.Natives;
import io.ivfuse.quality.metric.Convention;
import io.ivfuse.quality.evaluation.Evaluation;
import io.ivfuse.quality.evaluation.EvaluationResult;
import io.ivfuse.quality.evaluation.FusedSources;
import io.ivfuse.quality.metric.Metric;
import io.ivfuse.quality.metric.MetricCatalog;
import io.ivfuse.quality.evaluation.PairSet;
import io.ivfuse.quality.report.ReportWriter;
import io.ivfuse.quality.evaluation.VideoEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ivfuse evaluate}: fusion quality metrics over a folder of pairs (existing fused images
 * and/or ivfuse engines run first) or over three videos, written as CSV, Markdown and an HTML report.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measures fusion quality (EN, SD, SF, AG, MI, SCD, CC, PSNR, RMSE, VIF, Qabf, Nabf, SSIM, "
                + "MS-SSIM, EI, CE; with --mode mef MEFB's MEF_SSIM, Qabf, Qcb, Qw, Qy, NMI, Qncie, ...) as the field's "
                + "reference code does.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "ir-vis|mef", description = "what the pairs are: infrared + visible "
            + "(default), or two exposures (mef: MEFB's metrics and convention)")
    String mode = "ir-vis";

    @Option(names = "--pairs", paramLabel = "DIR", description = "folder of pairs: DIR/ir and DIR/vis, matched by file name; "
            + "--mode mef: DIR/<name>/A.* + B.* (A the darker) or DIR/<name>/<name>_A.* + <name>_B.*")
    Path pairs;

    @Option(names = "--fused", arity = "1..*", paramLabel = "DIR",
            description = "folders of fused images: <pair>.<ext> (method = folder name) or <pair>_<method>.<ext>, "
                    + "or a folder of such folders, one per method (DIR/<method>/<pair>.<ext>)")
    List<Path> fused = new ArrayList<>();

    @Option(names = "--engine", split = ",", paramLabel = "NAME", description = "ivfuse engines to run over the pairs first")
    List<String> engines = new ArrayList<>();

    @Option(names = "--model", paramLabel = "FILE", description = "model file for learned engines")
    Path model;

    @Option(names = "--convention", paramLabel = "vifb|cddfuse|mefb",
            description = "metric convention (default: vifb; mefb, the only one, in --mode mef)")
    String convention;

    @Option(names = "--metrics", split = ",", paramLabel = "LIST", description = "metrics to compute (default: the convention's set)")
    List<String> metrics;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
    Path output;

    @Option(names = "--resize", description = "resize infrared images to the visible size instead of failing")
    boolean resize;

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--ir-video", paramLabel = "FILE", description = "infrared video (video mode)")
    Path irVideo;

    @Option(names = "--vis-video", paramLabel = "FILE", description = "visible video (video mode)")
    Path visVideo;

    @Option(names = "--fused-video", paramLabel = "FILE", description = "fused video (video mode)")
    Path fusedVideo;

    @Option(names = "--every", paramLabel = "N", description = "video mode: metrics on every N-th frame (default: ${DEFAULT-VALUE})")
    int every = 10;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        PrintWriter err = spec.commandLine().getErr();
        boolean mef = switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "ir-vis" -> false;
            case "mef" -> true;
            default -> throw new IvfuseException("unknown --mode '" + mode + "' (known: ir-vis, mef)");
        };
        Convention conv = Convention.parse(convention != null ? convention : mef ? "mefb" : "vifb");
        if (conv.exposures() != mef) {
            throw new IvfuseException("convention " + conv.id() + " is for --mode " + (mef ? "ir-vis" : "mef")
                    + (mef ? "; --mode mef measures with mefb" : ""));
        }
        List<Metric> selected = metrics == null || metrics.isEmpty() ? MetricCatalog.defaults(conv) : MetricCatalog.select(conv, metrics);
        if (irVideo != null || visVideo != null || fusedVideo != null) {
            if (mef) {
                throw new IvfuseException("--mode mef measures image pairs (--pairs); the video options are for ir-vis");
            }
            return video(conv, selected, err);
        }
        Natives.opencv(); // images are read, and fused, with OpenCV
        if (pairs == null) {
            throw new IvfuseException("give --pairs DIR (or --ir-video, --vis-video and --fused-video)");
        }
        if (fused.isEmpty() && engines.isEmpty()) {
            throw new IvfuseException("nothing to evaluate: give --fused DIR... and/or --engine NAME");
        }
        PairSet set = mef ? PairSet.scanExposures(pairs) : PairSet.scan(pairs);
        List<String> problems = new ArrayList<>();
        set.unmatched().forEach(u -> problems.add("unmatched (no partner of that name): " + u));
        FusedSources sources = new FusedSources();
        for (String engine : engines) {
            Path dir = output.resolve("fused").resolve(engine);
            problems.addAll(mef ? BatchExposureFusion.fuseAll(engine, model, ExposureSet.scan(pairs), dir, err)
                    : BatchImageFusion.fuseAll(engine, model, set, dir, resize, threads, err));
            if (Files.isDirectory(dir)) { // absent when no pair could be fused
                PairSet.images(dir).forEach((pair, file) -> sources.add(engine, pair, file));
            }
        }
        for (Path dir : fused) {
            sources.addFolder(dir, set);
        }
        if (sources.byMethod().isEmpty()) {
            problems.forEach(err::println);
            err.flush();
            throw new IvfuseException(problems.isEmpty() ? "no fused image matches a pair name in " + fused
                    : problems.size() + " problem(s) (listed above) and nothing fused to evaluate");
        }
        EvaluationResult result = new Evaluation(conv, selected, threads, resize, output.resolve("thumbs"))
                .run(set, sources.byMethod(), err);
        problems.forEach(result::error);
        List<String> methods = new ArrayList<>(sources.byMethod().keySet());
        new ReportWriter(output).write(result, methods, selected, conv);
        return finish(result, output, err);
    }

    private Integer video(Convention conv, List<Metric> selected, PrintWriter err) {
        if (irVideo == null || visVideo == null || fusedVideo == null) {
            throw new IvfuseException("video mode needs all of --ir-video, --vis-video and --fused-video");
        }
        String method = PairSet.stem(fusedVideo);
        Natives.ffmpeg();
        VideoEvaluation.Outcome out = VideoEvaluation.run(irVideo, visVideo, fusedVideo, every, selected, method);
        new ReportWriter(output).write(out.result(), List.of(method), selected, conv);
        String line = String.format(Locale.ROOT, "temporal stability (mean excess change, gray levels/frame): %.4f "
                + "(worst frame pair %.4f) over %d frames%n", out.temporalStability(), out.worstStep(), out.frames());
        try {
            Files.writeString(output.resolve("temporal_stability.csv"), String.format(Locale.ROOT,
                    "method,frames,temporal_stability,worst_step%n%s,%d,%.6f,%.6f%n", method, out.frames(),
                    out.temporalStability(), out.worstStep()));
            Files.writeString(output.resolve("summary.md"), "\n" + line, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IvfuseException("cannot write " + output + ": " + e.getMessage(), e);
        }
        err.print(line);
        return finish(out.result(), output, err);
    }

    private static Integer finish(EvaluationResult result, Path output, PrintWriter err) {
        long images = result.rows().stream().map(EvaluationResult.Row::image).distinct().count();
        err.println("evaluated " + images + " image(s); results in " + output);
        result.warnings().forEach(w -> err.println("warning: " + w));
        List<String> errors = result.errors();
        if (errors.isEmpty()) {
            return 0;
        }
        errors.forEach(err::println);
        err.flush();
        throw new IvfuseException(errors.size() + " problem(s) (listed above); the other results are in " + output);
    }

}
