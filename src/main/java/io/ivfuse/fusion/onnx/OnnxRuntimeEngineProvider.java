package io.ivfuse.fusion.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;

/**
 * The {@code onnxruntime} engine: a learned fusion network in ONNX (the ivfuse model convention,
 * see {@link io.ivfuse.model.ModelConvention}) run by ONNX Runtime, on the CPU or, with the GPU
 * build of ONNX Runtime on the class path, through CUDA or TensorRT ({@code provider=cuda}).
 *
 * <p>{@link #isAvailable()} reports whether ONNX Runtime's native library loads; {@link #canRun}
 * whether a model is given, so {@code --engine auto} picks this engine only with a model.
 * {@link #create} fails with a clear message when none is given.
 */
public final class OnnxRuntimeEngineProvider implements FusionEngineProvider {
    public static final String NAME = "onnxruntime";
    /** Above the classical engines (10 to 20): a learned model fuses better when one can run. */
    public static final int RANK = 50;

    private static volatile Boolean available;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "learned fusion network in ONNX (--model FILE), run by ONNX Runtime";
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
                a = false;
            }
            available = a;
        }
        return a;
    }

    @Override
    public boolean canRun(EngineOptions options) {
        return options.model() != null;
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        return OnnxRuntimeEngine.open(options);
    }
}
