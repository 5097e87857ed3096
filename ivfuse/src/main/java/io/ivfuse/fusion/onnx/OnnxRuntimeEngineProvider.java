package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import java.util.Set;

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
        return options.model() != null || DefaultModel.isEmbedded();
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return OnnxRuntimeEngine.open(options);
    }
}
