package io.ivfuse.distill;

/** Creates the student a config names. */
final class Students {
    private Students() {
    }

    static Student create(DistillConfig cfg) {
        return switch (cfg.student) {
            case "nano" -> new NanoStudent(cfg.channels, cfg.gainLimit, cfg.correctionLimit, cfg.filterSize, cfg.filterSigma,
                    cfg.activityPrior, cfg.brightnessPrior, cfg.seed);
            case "sage" -> new SageScratchStudent(32, cfg.seed);
            case "mef-nano" -> new MefStudent(cfg.channels, cfg.gainLimit, cfg.correctionLimit, cfg.filterSize, cfg.filterSigma,
                    cfg.seed);
            case "mef-pyramid" -> new MefPyramidStudent(cfg.channels, cfg.levels, cfg.gainLimit, cfg.correctionLimit,
                    cfg.sharpenPrior, cfg.seed);
            default -> throw new IllegalArgumentException(cfg.student);
        };
    }
}
