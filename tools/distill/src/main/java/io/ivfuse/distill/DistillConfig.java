package io.ivfuse.distill;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A distillation run, read from {@code configs/distill-*.yaml}. Paths are relative to the
 * working directory (the repository root). Every loss term has a weight; 0 switches it off.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class DistillConfig {
    /**
     * Student architecture: {@code nano} or {@code sage} (the sage-s architecture, from scratch) for
     * ir-vis; {@code mef-nano} or {@code mef-pyramid} for mef.
     */
    @JsonProperty public String student = "nano";
    /**
     * {@code ir-vis}: the pairs' visible and infrared; {@code mef}: synthetic exposure brackets of the
     * pairs' visible images ({@link #bracket}), the infrared unused.
     */
    @JsonProperty public String mode = "ir-vis";
    @JsonProperty public Bracket bracket = new Bracket();
    /** nano: hidden channels of the quarter-resolution CNN. */
    @JsonProperty public int channels = 16;
    /** nano: the fine-detail correction gain lies in (-gainLimit, gainLimit). */
    @JsonProperty public float gainLimit = 0.5f;
    /** nano: the CNN's correction of the selection logit lies in (-correctionLimit, correctionLimit). */
    @JsonProperty public float correctionLimit = 2f;
    /** nano: side of the learned detail filters (odd). */
    @JsonProperty public int filterSize = 5;
    /** nano: the detail filters start as delta minus a Gaussian of this sigma. */
    @JsonProperty public double filterSigma = 1.2;
    /** nano: start value of p, the selection logit per unit of log(activity ratio) (learned). */
    @JsonProperty public double activityPrior = 24;
    /** nano: start value of q, the selection logit per unit of local brightness difference (learned). */
    @JsonProperty public double brightnessPrior = 128;
    /**
     * mef-pyramid: the Laplacian pyramid's levels below full resolution (at least 3). As deep as
     * Mertens' (log2 of the smaller side): a shallow top level blends the base at too fine a scale,
     * which darkens rings around bright regions (5 levels: validation MEF-SSIM 0.924).
     */
    @JsonProperty public int levels = 8;
    /** mef-pyramid: start value of a_k, the finest levels' weight logit per unit of log(pixel contrast ratio) (learned). */
    @JsonProperty public double sharpenPrior = 0.5;
    /** Teacher: a SAGE checkpoint, imported with features at start; or null to train without a teacher. */
    @JsonProperty public String teacherCheckpoint = "../shared/models/sage/checkpoints.pt";
    /** Folders holding ir/ and vis/ pair folders (a folder of sequences counts each sub-folder). */
    @JsonProperty public List<String> train = List.of("../shared/data/roadscene/train", "../shared/data/m3svd/frames");
    /** Work folder for the imported teacher and the per-image caches (outside version control). */
    @JsonProperty public String workDir = "target/distill-work";
    /** Where the trained ONNX model goes. */
    @JsonProperty public String output = "target/distill-work/nano.onnx";
    @JsonProperty public long seed = 1;
    @JsonProperty public int steps = 2000;
    @JsonProperty public int batch = 8;
    /** Square crop side; a multiple of 4. */
    @JsonProperty public int crop = 128;
    @JsonProperty public double learningRate = 2e-3;
    /** The learning rate falls by cosine to this fraction of itself at the last step. */
    @JsonProperty public double finalLearningRateFraction = 0.05;
    /** Clips the gradient's global L2 norm to this value before each step; 0: no clipping. */
    @JsonProperty public double maxGradientNorm = 0;
    @JsonProperty public int threads = 1;
    @JsonProperty public int logEvery = 50;
    /** Give half of the crops with visible and infrared swapped (a student symmetric in its inputs). */
    @JsonProperty public boolean swapSources = false;
    /** Superpixel (SLIC) region size in pixels, for the contrastive term. */
    @JsonProperty public int superpixelSize = 24;
    @JsonProperty public Losses losses = new Losses();

    /** How mode mef brackets each crop (drawn uniformly per crop): see {@link Brackets}. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Bracket {
        /** Stops below (under) and above (over) the centre exposure. */
        @JsonProperty public double stopsMin = 1.0;
        @JsonProperty public double stopsMax = 3.0;
        /** The centre exposure lies within this many stops of the picture's own. */
        @JsonProperty public double centreStops = 1.0;
        /** Display gamma that linearises the picture and re-encodes the exposures. */
        @JsonProperty public double gammaMin = 1.8;
        @JsonProperty public double gammaMax = 2.6;
        /** Sensor noise: standard deviation at mid-grey, up to this (in [0, 1] units). */
        @JsonProperty public double noiseMax = 0.01;
    }

    /** Weights of the loss terms (SAGE's triplet: pixel, feature, contrastive semantic). */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Losses {
        /** MSE to the teacher's output. */
        @JsonProperty public double teacherMse = 1.0;
        /** MSE to the larger of the two sources at each pixel (the intensity loss of unsupervised fusion). */
        @JsonProperty public double sourceMaxMse = 0.0;
        /** MSE to the visible source. */
        @JsonProperty public double visibleMse = 0.0;
        /** MSE to the infrared source. */
        @JsonProperty public double infraredMse = 0.0;
        /** L1 between the Sobel gradient magnitude and the larger of the sources' magnitudes. */
        @JsonProperty public double sourceGradient = 0.0;
        /** One-sided: the mean amount by which the student's gradient magnitude falls short of the larger source's (edges lost, not edges enhanced). */
        @JsonProperty public double gradientFloor = 0.0;
        /** mef: 1 - MEF-SSIM (Ma et al. 2015) of the student against the two exposures ({@link io.ivfuse.distill.MefSsimLoss}). */
        @JsonProperty public double mefSsim = 0.0;
        /** mef: the mean squared distance of the student's 16x16 patch means from mid-grey (Mertens' well-exposedness, on the result). */
        @JsonProperty public double wellExposed = 0.0;
        /** 1 - Qabf: the share of the sources' Sobel edges (strength and orientation) the student keeps. */
        @JsonProperty public double edgeTransfer = 0.0;
        /** L1 between the Sobel gradient magnitudes of student and teacher. */
        @JsonProperty public double teacherGradient = 0.0;
        /** 1 - cosine similarity between adapted student features and the teacher's x3 features. */
        @JsonProperty public double feature = 0.0;
        /** Per superpixel, d(student, teacher) / (d(student, vis) + d(student, ir)) in a fixed feature space. */
        @JsonProperty public double contrastive = 0.0;
    }

    public static DistillConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("distillation config " + file + " does not exist");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            DistillConfig c = yaml.readValue(file.toFile(), DistillConfig.class);
            c.validate(file.toString());
            return c;
        } catch (IOException e) {
            throw new IvfuseException("distillation config " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    void validate(String source) {
        if (!mode.equals("ir-vis") && !mode.equals("mef")) {
            throw new IvfuseException(source + ": 'mode' must be ir-vis or mef, got '" + mode + "'");
        }
        boolean mef = mode.equals("mef");
        if (mef ? !student.equals("mef-nano") && !student.equals("mef-pyramid") : !student.equals("nano") && !student.equals("sage")) {
            throw new IvfuseException(source + ": 'student' must be " + (mef ? "mef-nano or mef-pyramid in mode mef" : "nano or sage")
                    + ", got '" + student + "'");
        }
        if (mef && (usesTeacher() || losses.mefSsim <= 0)) {
            throw new IvfuseException(source + ": mode mef trains without a teacher (teacherCheckpoint: null) and needs 'losses.mefSsim'");
        }
        if (mef && crop < MefSsimLoss.MIN_SIDE) {
            throw new IvfuseException(source + ": 'crop' must be at least " + MefSsimLoss.MIN_SIDE
                    + " in mode mef (MEF-SSIM's three scales of 11x11 windows), got " + crop);
        }
        if (bracket.stopsMin <= 0 || bracket.stopsMax < bracket.stopsMin || bracket.gammaMin <= 0
                || bracket.gammaMax < bracket.gammaMin || bracket.noiseMax < 0 || bracket.centreStops < 0) {
            throw new IvfuseException(source + ": 'bracket' needs 0 < stopsMin <= stopsMax, 0 < gammaMin <= gammaMax, "
                    + "noiseMax >= 0, centreStops >= 0");
        }
        if (levels < MefPyramidStudent.DETAIL_LEVELS) {
            throw new IvfuseException(source + ": 'levels' must be at least " + MefPyramidStudent.DETAIL_LEVELS + ", got " + levels);
        }
        if (filterSize < 3 || filterSize % 2 == 0) {
            throw new IvfuseException(source + ": 'filterSize' must be odd and at least 3, got " + filterSize);
        }
        if (crop < 16 || crop % 4 != 0) {
            throw new IvfuseException(source + ": 'crop' must be a multiple of 4, at least 16, got " + crop);
        }
        if (steps < 1 || batch < 1 || threads < 1 || logEvery < 1) {
            throw new IvfuseException(source + ": 'steps', 'batch', 'threads' and 'logEvery' must be positive");
        }
        if (train.isEmpty()) {
            throw new IvfuseException(source + ": 'train' names no folder");
        }
        for (String t : train) {
            String n = t.replace('\\', '/');
            // MEFB and the mef golden scenes are evaluation sets too
            if (n.contains("roadscene/test") || n.contains("/tno") || n.contains("mefb") || n.contains("data/mef")) {
                throw new IvfuseException(source + ": 'train' names held-out evaluation data (" + t + ")");
            }
        }
        boolean needsTeacher = losses.teacherMse > 0 || losses.teacherGradient > 0 || losses.feature > 0
                || losses.contrastive > 0;
        if (needsTeacher && (teacherCheckpoint == null || teacherCheckpoint.isBlank())) {
            throw new IvfuseException(source + ": the teacher loss terms need 'teacherCheckpoint'");
        }
    }

    boolean usesTeacher() {
        return teacherCheckpoint != null && !teacherCheckpoint.isBlank();
    }
}
