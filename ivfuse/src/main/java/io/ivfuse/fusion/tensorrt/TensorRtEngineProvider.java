package io.ivfuse.fusion.tensorrt;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineProvider;
import io.ivfuse.fusion.onnx.DefaultModel;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngineProvider;
import java.util.Set;

/**
 * The {@code tensorrt} engine: the ONNX fusion models through TensorRT on an NVIDIA GPU (FP32 or
 * FP16, engines cached). The default jar carries the presets' Java API but no natives, so it loads
 * and reports why it cannot run ({@link GpuFacts#verdict()}); a {@code -Pgpu} or {@code -Pjetson}
 * build on a machine with the NVIDIA driver, CUDA 13.1 and TensorRT 10.15 runs it, and
 * {@code --engine auto} then prefers it to {@code onnxruntime}.
 */
public final class TensorRtEngineProvider implements FusionEngineProvider {
    public static final String NAME = "tensorrt";
    /** Above onnxruntime: the same models, on the GPU. */
    public static final int RANK = OnnxRuntimeEngineProvider.RANK + 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "learned fusion network in ONNX built and run by TensorRT on an NVIDIA GPU (--model FILE; default: nano)";
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public boolean heavy() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return GpuProbe.facts().verdict().available();
    }

    @Override
    public String availability() {
        return GpuProbe.facts().verdict().detail();
    }

    @Override
    public boolean canRun(EngineOptions options) {
        return options.model() != null || DefaultModel.isEmbedded();
    }

    @Override
    public Set<String> parameters() {
        return Set.of(TensorRtEngine.PRECISION, TensorRtEngine.DEVICE, TensorRtEngine.CACHE_DIR);
    }

    @Override
    public FusionEngine create(EngineOptions options) {
        GpuFacts gpu = GpuProbe.facts();
        GpuFacts.Verdict v = gpu.verdict();
        if (!v.available()) {
            throw new IvfuseException("engine 'tensorrt' is not available: " + v.detail());
        }
        return TensorRtEngine.open(options, gpu);
    }
}
