package io.ivfuse.distill;

import io.ivfuse.IvfuseException;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.OnnxGraphBuilder;
import io.ivfuse.quality.evaluation.PairSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Trains a student from a config: data and teacher targets, Adam with a cosine learning rate, loss log, ONNX export. */
final class Trainer {

    /** What a run produced: the model, the mean total loss of the first and last logging windows, the log lines. */
    /** @param skippedSteps steps skipped for a non-finite gradient (see below): a run with none repeats from its seed */
    record Result(Path model, double firstLoss, double lastLoss, List<String> log, double seconds, long parameters,
                  int skippedSteps) {
    }

    /** Non-finite gradients this many steps in a row are a divergence, not a glitch. */
    static final int MAX_SKIPPED_IN_A_ROW = 5;

    private Trainer() {
    }

    static Result train(DistillConfig cfg, Consumer<String> out) {
        long t0 = System.nanoTime();
        torch.set_num_threads(cfg.threads);
        torch.manual_seed(cfg.seed);
        Path work = Path.of(cfg.workDir);
        List<TrainingImage> images;
        List<PairSet.Pair> pairs = TrainingData.pairs(cfg.train.stream().map(Path::of).toList());
        out.accept("training pairs: " + pairs.size() + " from " + cfg.train);
        if (cfg.usesTeacher()) {
            try (Teacher teacher = Teacher.fromSageCheckpoint(Path.of(cfg.teacherCheckpoint), work, cfg.threads)) {
                images = TrainingData.load(pairs, teacher, work.resolve("cache"), cfg.superpixelSize, cfg.crop);
            }
        } else {
            images = TrainingData.load(pairs, null, work.resolve("cache"), cfg.superpixelSize, cfg.crop);
        }
        out.accept(String.format(Locale.ROOT, "data ready in %.1f s", (System.nanoTime() - t0) / 1e9));

        Student student = Students.create(cfg);
        int teacherChannels = images.get(0).featureChannels() > 0 ? images.get(0).featureChannels() : 1;
        DistillLosses losses = new DistillLosses(cfg.losses, student.featureChannels(), teacherChannels, cfg.seed + 1);
        List<Tensor> params = new ArrayList<>(student.parameters());
        params.addAll(losses.parameters());
        TensorVector parameters = new TensorVector(params.toArray(new Tensor[0]));
        Adam adam = new Adam(parameters, new AdamOptions(cfg.learningRate));
        Brackets brackets = cfg.mode.equals("mef") ? new Brackets(cfg.bracket, cfg.seed + 2) : null;
        CropSampler sampler = new CropSampler(images, cfg.crop, cfg.swapSources, brackets, cfg.seed);

        List<String> log = new ArrayList<>();
        Map<String, Double> window = new LinkedHashMap<>();
        double first = Double.NaN;
        double last = Double.NaN;
        long trainStart = System.nanoTime();
        int skipped = 0;
        int skippedInARow = 0;
        int windowSteps = 0;
        int checkpointStep = 0;
        for (int step = 1; step <= cfg.steps; step++) {
            double lr = learningRate(cfg, step);
            adam.param_groups().get(0).options().set_lr(lr);
            try (PointerScope scope = new PointerScope()) {
                CropSampler.Batch batch = sampler.next(cfg.batch);
                Map<String, Tensor> terms = losses.compute(student.forward(batch.visible(), batch.infrared()), batch);
                adam.zero_grad();
                terms.get("total").backward();
                // libtorch 2.10's CPU backward now and then yields a non-finite gradient from finite
                // inputs and weights (about one run of 60 steps in seven on the 2-core VM, at random
                // steps; ATEN_CPU_CAPABILITY=default fails too). One such step would poison Adam's
                // moments for good, so it is skipped, as mixed-precision trainers skip overflowed steps.
                double norm = torch.clip_grad_norm_(parameters, cfg.maxGradientNorm > 0 ? cfg.maxGradientNorm : Double.POSITIVE_INFINITY);
                if (Double.isFinite(norm)) {
                    adam.step();
                    skippedInARow = 0;
                    for (var e : terms.entrySet()) {
                        window.merge(e.getKey(), (double) e.getValue().item_float(), Double::sum);
                    }
                    windowSteps++;
                } else { // a skipped step's losses stay out of the log window
                    skipped++;
                    if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
                        throw new IvfuseException("training diverged at step " + step + ": " + skippedInARow
                                + " steps in a row had a non-finite gradient; lower 'learningRate' or set 'maxGradientNorm'"
                                + (checkpointStep > 0 ? " (" + cfg.output + " holds the model of step " + checkpointStep + ")" : ""));
                    }
                }
            }
            if ((step % cfg.logEvery == 0 || step == cfg.steps) && windowSteps > 0) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %5d/%d  lr %.2e", step, cfg.steps, lr));
                for (var e : window.entrySet()) {
                    line.append(String.format(Locale.ROOT, "  %s %.5f", e.getKey(), e.getValue() / windowSteps));
                }
                line.append(String.format(Locale.ROOT, "  (%.0f ms/step)", (System.nanoTime() - trainStart) / 1e6 / step));
                if (skipped > 0) {
                    line.append(String.format(Locale.ROOT, "  [non-finite gradient: %d step(s) skipped]", skipped));
                }
                double total = window.get("total") / windowSteps;
                if (Double.isNaN(first)) {
                    first = total;
                }
                last = total;
                if (!Double.isFinite(total)) {
                    throw new IvfuseException("training diverged at step " + step + " (loss " + total + "); lower 'learningRate'");
                }
                log.add(line.toString());
                out.accept(line.toString());
                // A checkpoint at every log line: a run stopped later (libtorch's non-finite gradients,
                // below) keeps its last good model and log.
                export(cfg, student, log, step);
                checkpointStep = step;
                window.clear();
                windowSteps = 0;
            }
        }
        Path output = export(cfg, student, log, cfg.steps);
        Path logFile = output.resolveSibling(output.getFileName() + ".log");
        long paramCount = 0;
        for (Tensor p : student.parameters()) {
            paramCount += p.numel();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.accept(String.format(Locale.ROOT, "wrote %s (%d parameters) and %s in %.1f s", output, paramCount, logFile, seconds));
        return new Result(output, first, last, log, seconds, paramCount, skipped);
    }

    /** Writes the student as trained for {@code steps} steps to the config's output, and the log beside it. */
    private static Path export(DistillConfig cfg, Student student, List<String> log, int steps) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelConvention.SOURCE, String.format(Locale.ROOT, "ivfuse-distill: %s from %s, %d steps of %d crops %dx%d, seed %d",
                student.name(), cfg.usesTeacher() ? "sage-s (" + Path.of(cfg.teacherCheckpoint).getFileName() + ")"
                        : cfg.mode.equals("mef") ? "synthetic brackets, self-supervised" : "no teacher",
                steps, cfg.batch, cfg.crop, cfg.crop, cfg.seed));
        Path output = Path.of(cfg.output);
        OnnxGraphBuilder.write(student.toOnnx(meta), output);
        Path logFile = output.resolveSibling(output.getFileName() + ".log");
        try {
            Files.write(logFile, log);
        } catch (IOException e) {
            throw new IvfuseException("cannot write training log " + logFile + ": " + e.getMessage(), e);
        }
        return output;
    }

    static double learningRate(DistillConfig cfg, int step) {
        double progress = (step - 1) / (double) Math.max(1, cfg.steps - 1);
        double f = cfg.finalLearningRateFraction;
        return cfg.learningRate * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
