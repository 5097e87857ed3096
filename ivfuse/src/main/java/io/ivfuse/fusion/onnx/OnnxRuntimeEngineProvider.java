package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code onnxruntime} engine: a learned fusion network in ONNX (the ivfuse model convention,
 * see {@link io.ivfuse.model.ModelConvention}) run by ONNX Runtime, on the CPU or, with the GPU
 * build of ONNX Runtime on the class path, through CUDA or TensorRT ({@code provider=cuda}).
 *
 * <p>{@link #isAvailable()} reports whether ONNX Runtime's native library loads; {@link #canRun}
 * whether a model is given or ivfuse embeds its default model ({@link DefaultModel}, the real-time
 * student {@code nano}), so {@code --engine auto} picks this engine whenever ONNX Runtime loads,
 * and falls back to the classical engines when it does not. {@link #create} fails with a clear
 * message when no model is given and none is embedded.
 */
public final class OnnxRuntimeEngineProvider implements FusionEngineProvider {
    public static final String NAME = "onnxruntime";
    /** Above the classical engines (10 to 20): a learned model fuses better when one can run. */
    public static final int RANK = 50;
    /**
     * In mode mef: above {@code mertens} (20), since the embedded student {@code mef-pyramid} fuses
     * better on the 12 shared MEFB pairs (MEF-SSIM 0.983 against 0.978, Qabf 0.757) and in real time,
     * which mertens is not (benchmarks/mef.md). So {@code --engine auto} picks it in mode mef.
     */
    public static final int MEF_RANK = 25;

    private static volatile Boolean available;
    private static volatile String loadError;

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "learned fusion network in ONNX run by ONNX Runtime (--model FILE; default: the embedded nano model)";
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            try {
                OrtEnvironment.getEnvironment();
                a = true;
            } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError: no usable native library
                loadError = String.valueOf(t.getMessage()).replace('\n', ' ');
                a = false;
            }
            available = a;
        }
        return a;
    }

    @Override
    public String availability() {
        return isAvailable() ? "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + ", CPU"
                : "ONNX Runtime's native library does not load (" + loadError + ")";
    }

    @Override
    public Set<String> parameters() {
        return Set.of(OnnxRuntimeEngine.PROVIDER, OnnxRuntimeEngine.DEVICE);
    }

    @Override
    public boolean canRun(EngineOptions options) {
        return options.model() != null || DefaultModel.isEmbedded() || DefaultModel.isEmbedded(FusionMode.MEF);
    }

    /** Either mode: which one a run gets is its model's. */
    @Override
    public Set<FusionMode> modes() {
        return Set.of(FusionMode.IR_VIS, FusionMode.MEF);
    }

    /**
     * The model file's declared mode (read from its metadata without running it), or, without a
     * model, the modes this build embeds a default model for. A file that cannot be read counts as
     * either mode here, so that {@link #create} reports what is wrong with it.
     */
    @Override
    public Set<FusionMode> modes(EngineOptions options) {
        if (options.model() == null) {
            return Arrays.stream(FusionMode.values()).filter(DefaultModel::isEmbedded)
                    .collect(Collectors.toUnmodifiableSet());
        }
        try {
            String mode = ModelInfo.read(options.model()).metadata().getOrDefault(ModelConvention.MODE, ModelConvention.IR_VIS);
            return Set.of(FusionMode.parse(mode));
        } catch (IvfuseException e) {
            return modes();
        }
    }

    @Override
    public int rank(FusionMode mode) {
        return mode == FusionMode.MEF ? MEF_RANK : RANK;
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return OnnxRuntimeEngine.open(options);
    }

    @Override
    public FusionEngine create(EngineOptions options, FusionMode mode) {
        return OnnxRuntimeEngine.open(options, mode);
    }
}
