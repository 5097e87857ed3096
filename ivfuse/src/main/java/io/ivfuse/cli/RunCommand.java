package io.ivfuse.cli;

import io.ivfuse.config.ConfigLoader;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.config.Substitution;
import io.ivfuse.job.FusionJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code ivfuse run}: fuse an IR and a visible video into one. Flags override the config file. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fuse an infrared and a visible video (files or stream URLs) into one video.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--ir", paramLabel = "FILE|URL", description = "Infrared input.")
    String ir;
    @Option(names = "--vis", paramLabel = "FILE|URL", description = "Visible input.")
    String vis;
    @Option(names = "--mode", paramLabel = "MODE", description = "ir-vis (default: --ir + --vis) or mef (exposures: --under + --over, or --bracketed).")
    String mode;
    @Option(names = "--under", paramLabel = "FILE|URL", description = "--mode mef: the under-exposed (darker) input.")
    String under;
    @Option(names = "--over", paramLabel = "FILE|URL", description = "--mode mef: the over-exposed input, registered and paired onto --under.")
    String over;
    @Option(names = "--bracketed", paramLabel = "FILE|URL", description = "--mode mef: one stream alternating exposures, fused as sliding pairs.")
    String bracketed;
    @Option(names = "--deghost", paramLabel = "on|off", description = "--mode mef: suppress ghosts of moving objects (default on).")
    String deghost;
    @Option(names = "--deghost-reference", paramLabel = "under|over", description = "--mode mef, two cameras: the exposure"
            + " moving regions are taken from (default under; --bracketed: always the latest frame).")
    String deghostReference;
    @Option(names = "--weight-smoothing", paramLabel = "ALPHA", description = "--mode mef: share of the previous weight map"
            + " kept each frame, 0 (off) to below 1 (default 0.5).")
    Double weightSmoothing;
    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "An output (repeat for several): .mp4/.mkv/.mov/.avi/.ts file, dir/ for PNG frames, "
                    + "a .m3u8 HLS playlist, udp://, rtp://, srt://, rtsp:// (publish), rtmp://, or display:. "
                    + "Replaces output.path and outputs: of the config.")
    List<String> outputs;
    @Option(names = "--engine", paramLabel = "NAME", description = "Fusion engine: auto (default: the shipped nano model), onnxruntime, laplacian, average, max, passthrough.")
    String engine;
    @Option(names = "--model", paramLabel = "FILE", description = "Model file for learned engines.")
    String model;
    @Option(names = "--calibration", paramLabel = "FILE", description = "OpenCV FileStorage YAML with the IR-to-visible homography H or affine A.")
    String calibration;
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (see configs/default.yaml); flags override it.")
    Path configFile;
    @Option(names = "--max-frames", paramLabel = "N", description = "Stop after N output frames.")
    Long maxFrames;
    @Option(names = "--display", description = "Show a preview window.")
    boolean display;
    @Option(names = "--metrics-json", paramLabel = "FILE", description = "Write the run summary as JSON.")
    String metricsJson;
    @Option(names = "--side-by-side", paramLabel = "FILE", description = "Also write an IR | visible | fused video.")
    String sideBySide;
    @Option(names = {"-y", "--overwrite"}, description = "Overwrite existing output files and the metrics JSON (like ffmpeg -y).")
    boolean overwrite;
    @Option(names = "--threads", paramLabel = "N", description = "Fusion threads on the ring.")
    Integer threads;
    @Option(names = "--backpressure", paramLabel = "MODE", description = "block (files) or drop-oldest (live).")
    String backpressure;
    @Option(names = "--codec", paramLabel = "NAME", description = "auto, libx264, libopenh264, h264_nvenc, mpeg4, ffv1.")
    String codec;
    @Option(names = "--preset", paramLabel = "NAME", description = "Encoder preset (libx264/NVENC).")
    String preset;
    @Option(names = "--bitrate", paramLabel = "KBPS", description = "Target bitrate in kbit/s (0 = encoder default).")
    Integer bitrate;
    @Option(names = "--gop", paramLabel = "SECONDS", description = "Keyframe interval in seconds (default 1).")
    Double gopSeconds;
    @Option(names = "--ir-offset-ms", paramLabel = "MS", description = "Added to IR timestamps.")
    Double irOffsetMs;
    @Option(names = "--start", paramLabel = "SECONDS", description = "Recorded files: fuse from this time of the visible"
            + " stream on (both inputs seek there, less input.preroll_seconds).")
    Double startSeconds;
    @Option(names = "--until", paramLabel = "SECONDS", description = "Recorded files: fuse the visible frames before this time.")
    Double endSeconds;
    @Option(names = "--tolerance-ms", paramLabel = "MS", description = "Pairing tolerance (default: half the faster stream's frame interval).")
    Double toleranceMs;
    @Option(names = "--max-stale-ms", paramLabel = "MS", description = "How long an IR frame may be held.")
    Double maxStaleMs;
    @Option(names = "--end", paramLabel = "shortest|longest", description = "Stop at the shorter stream (default) or run the visible one out.")
    String end;
    @Option(names = "--progress", paramLabel = "auto|on|off", description = "Progress bar on stderr.")
    String progress;
    @Option(names = "--strict", description = "Damaged input (decode errors, concealed or missing frames, a truncated file) "
            + "is an error: exit 2 after the outputs are finished (config input.strict).")
    boolean strict;
    @Option(names = "--temporal-stability", description = "Measure the flicker fusion adds (in the summary and --metrics-json).")
    boolean temporalStability;

    @Option(names = "--check-registration", description = "Score the alignment of registered IR and visible on sampled frames"
            + " (gauge ivfuse.registration.alignment, summary) and warn once when it drifts (config registration.check).")
    boolean checkRegistration;
    @Option(names = "--check-every", paramLabel = "N", description = "--check-registration: score every N-th fused frame (default 30).")
    Integer checkEvery;

    @Override
    public Integer call() {
        IvfuseConfig c = configFile != null ? ConfigLoader.load(configFile) : new IvfuseConfig();
        applyFlags(c);
        FusionJob job = new FusionJob(c, spec.commandLine().getOut(), spec.commandLine().getErr());
        try (StopSignals ignored = new StopSignals(job)) {
            job.run();
        }
        return 0;
    }

    void applyFlags(IvfuseConfig c) {
        // ${NAME} and ${file:PATH} as in the config, so that ps never shows a camera's password.
        Substitution locations = Substitution.fromSystem();
        if (ir != null) c.input.ir = InputSpec.of(locations.expand(ir, () -> "--ir"));
        if (vis != null) c.input.vis = InputSpec.of(locations.expand(vis, () -> "--vis"));
        if (mode != null) c.fusion.mode = mode;
        if (under != null) c.input.under = InputSpec.of(locations.expand(under, () -> "--under"));
        if (over != null) c.input.over = InputSpec.of(locations.expand(over, () -> "--over"));
        if (bracketed != null) c.input.bracketed = InputSpec.of(locations.expand(bracketed, () -> "--bracketed"));
        if (outputs != null && !outputs.isEmpty()) {
            c.output.path = null;
            c.outputs = new ArrayList<>();
            outputs.forEach(o -> c.outputs.add(IvfuseConfig.OutputEntry.of(locations.expand(o, () -> "-o"))));
        }
        if (engine != null) c.fusion.engine = engine;
        if (model != null) c.fusion.model = model;
        if (calibration != null) c.registration.calibration = calibration;
        if (maxFrames != null) c.pipeline.maxFrames = maxFrames;
        if (display) c.output.display = true;
        if (metricsJson != null) c.metrics.json = metricsJson;
        if (sideBySide != null) c.output.sideBySide = sideBySide;
        if (overwrite) c.output.overwrite = true;
        if (threads != null) c.fusion.threads = threads;
        if (backpressure != null) c.pipeline.backpressure = Enums.parse(IvfuseConfig.Backpressure.class, "--backpressure", backpressure,
                Map.of("block", IvfuseConfig.Backpressure.BLOCK, "drop-oldest", IvfuseConfig.Backpressure.DROP_OLDEST));
        if (codec != null) c.output.codec = codec;
        if (preset != null) c.output.preset = preset;
        if (bitrate != null) c.output.bitrateKbps = bitrate;
        if (gopSeconds != null) c.output.gopSeconds = gopSeconds;
        if (irOffsetMs != null) c.input.irOffsetMs = irOffsetMs;
        if (startSeconds != null) c.input.startSeconds = startSeconds;
        if (endSeconds != null) c.input.endSeconds = endSeconds;
        if (toleranceMs != null) c.sync.toleranceMs = toleranceMs;
        if (maxStaleMs != null) c.sync.maxStaleMs = maxStaleMs;
        if (end != null) c.sync.end = Enums.parse(IvfuseConfig.EndPolicy.class, "--end", end,
                Map.of("shortest", IvfuseConfig.EndPolicy.SHORTEST, "longest", IvfuseConfig.EndPolicy.LONGEST));
        if (progress != null) c.metrics.progress = progress;
        if (temporalStability) c.metrics.temporalStability = true;
        if (strict) c.input.strict = true;
        if (deghost != null) c.fusion.mef.deghost = Enums.parse(OnOff.class, "--deghost", deghost,
                Map.of("on", OnOff.ON, "off", OnOff.OFF)) == OnOff.ON;
        if (deghostReference != null) c.fusion.mef.deghostReference = deghostReference.trim().toLowerCase(java.util.Locale.ROOT);
        if (weightSmoothing != null) c.fusion.mef.weightSmoothing = weightSmoothing;
        if (checkRegistration) c.registration.check.enabled = true;
        if (checkEvery != null) c.registration.check.every = checkEvery;
    }

    private enum OnOff { ON, OFF }
}
