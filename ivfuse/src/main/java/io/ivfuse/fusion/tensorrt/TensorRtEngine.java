package io.ivfuse.fusion.tensorrt;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.onnx.DefaultModel;
import io.ivfuse.model.ModelConvention;
import io.ivfuse.model.ModelInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same ONNX models as the {@code onnxruntime} engine (the shipped students, imported sage-s, user
 * models) built by TensorRT's ONNX parser into engines, one per {@link Profile} (the stream's padded
 * size), each loaded from the {@link EngineCache} when a sound one is there and built and stored
 * otherwise. Sessions ({@link TensorRtSession}) share the engine; each has its own context.
 *
 * <p>Engine parameters: {@code precision=fp32|fp16} (default fp32), {@code device=N} (default 0),
 * {@code cache_dir=PATH} (default {@code ~/.cache/ivfuse/tensorrt}).
 */
public final class TensorRtEngine implements FusionEngine {
    static final String PRECISION = "precision";
    static final String DEVICE = "device";
    static final String CACHE_DIR = "cache_dir";
    private static final Logger log = LoggerFactory.getLogger(TensorRtEngine.class);

    private final String modelName;
    private final byte[] model;
    private final String modelSha256;
    private final ModelConvention convention;
    private final String outputName;
    private final Precision precision;
    private final int device;
    private final EngineCache cache;
    private final GpuFacts gpu;
    private final TrtLogger logger = new TrtLogger();
    private final IRuntime runtime;
    private final Map<Profile, ICudaEngine> engines = new HashMap<>();
    private boolean closed;

    private TensorRtEngine(String modelName, byte[] model, ModelConvention convention, String outputName, Precision precision,
                           int device, EngineCache cache, GpuFacts gpu) {
        this.modelName = modelName;
        this.model = model;
        this.modelSha256 = EngineCacheKey.sha256(model);
        this.convention = convention;
        this.outputName = outputName;
        this.precision = precision;
        this.device = device;
        this.cache = cache;
        this.gpu = gpu;
        this.runtime = nvinfer.createInferRuntime(logger);
        if (runtime == null || runtime.isNull()) {
            throw new IvfuseException("tensorrt engine: cannot create a TensorRT runtime: " + logger.lastError());
        }
    }

    /** Reads and checks the model and the options; builds nothing until a session says its frame size. */
    static TensorRtEngine open(EngineOptions options, GpuFacts gpu) {
        Precision precision = Precision.parse(options.params().getOrDefault(PRECISION, "fp32"));
        int device = options.intParam(DEVICE, 0);
        Path folder = options.params().containsKey(CACHE_DIR) ? Path.of(options.params().get(CACHE_DIR)) : EngineCache.defaultFolder();
        EngineCache cache = new EngineCache(folder);
        DefaultModel.Loaded loaded = DefaultModel.load(options.model(), TensorRtEngineProvider.NAME);
        String name = loaded.path().getFileName().toString();
        byte[] bytes = loaded.bytes();
        ModelInfo info;
        try {
            info = ModelInfo.read(new ByteArrayInputStream(bytes), name);
        } catch (IOException e) {
            throw new IvfuseException("cannot read model " + name + ": " + e.getMessage(), e);
        }
        ModelConvention c = ModelConvention.fromMetadata(info.metadata(), name);
        if (!c.mode().equals(ModelConvention.IR_VIS)) {
            throw new IvfuseException("model " + name + " is a " + c.mode() + " model (metadata '" + ModelConvention.MODE
                    + "'); the tensorrt engine runs ir-vis models only");
        }
        for (String input : new String[] {c.visibleInput(), c.infraredInput()}) {
            if (!info.inputs().containsKey(input)) {
                throw new IvfuseException("model " + name + ": input '" + input + "' named in metadata '" + ModelConvention.INPUTS
                        + "' is not in the graph (inputs: " + info.inputs().keySet() + ")");
            }
        }
        String out = c.output() != null ? c.output() : info.outputs().keySet().iterator().next();
        FrameKernelsReference.stepCodes(c); // refuses an activation list the kernels cannot apply, before any frame
        log.info("tensorrt engine: model {} ({}), {}, {}, cache {}", name, c.toMetadata(), precision.label(),
                gpu.verdict().detail(), folder);
        return new TensorRtEngine(name, bytes, c, out, precision, device, cache, gpu);
    }

    @Override
    public String name() {
        return TensorRtEngineProvider.NAME;
    }

    @Override
    public synchronized FusionSession openSession(int width, int height) {
        if (closed) {
            throw new IllegalStateException("tensorrt engine is closed");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad frame size " + width + "x" + height);
        }
        int pw = convention.padded(width);
        int ph = convention.padded(height);
        ICudaEngine engine = null;
        for (Map.Entry<Profile, ICudaEngine> e : engines.entrySet()) {
            if (e.getKey().covers(pw, ph)) {
                engine = e.getValue();
            }
        }
        if (engine == null) {
            CudaCalls.check(org.bytedeco.cuda.global.cudart.cudaSetDevice(device), "selecting GPU " + device);
            if (!engines.isEmpty()) {
                log.info("tensorrt engine: a {}x{} frame is outside the profiles built so far ({}); building an engine for it",
                        width, height, engines.keySet());
            }
            Profile profile = Profile.forStream(pw, ph, convention.sizeMultiple());
            engine = loadOrBuild(profile);
            engines.put(profile, engine);
        }
        return new TensorRtSession(engine, device, gpu.computeMajor(), gpu.computeMinor(), convention, outputName, width, height);
    }

    EngineCacheKey key(Profile profile) {
        return new EngineCacheKey(modelName, modelSha256, gpu.tensorrtLibrary(), gpu.cudaRuntime(), gpu.cudaDriver(),
                gpu.deviceName(), gpu.computeMajor(), gpu.computeMinor(), precision, profile);
    }

    private ICudaEngine loadOrBuild(Profile profile) {
        EngineCacheKey key = key(profile);
        byte[] cached = cache.load(key);
        if (cached != null) {
            ICudaEngine e = deserialize(cached);
            if (e != null) {
                log.info("tensorrt engine: loaded {} from the cache", cache.file(key));
                return e;
            }
            log.warn("tensorrt engine: TensorRT cannot deserialise {} ({}); rebuilding", cache.file(key), logger.lastError());
        }
        long start = System.nanoTime();
        byte[] plan = build(profile);
        cache.store(key, ByteBuffer.wrap(plan));
        log.info("tensorrt engine: built {} ({}, profile {}) in {} s, cached as {}", modelName, precision.label(), profile,
                String.format("%.1f", (System.nanoTime() - start) / 1e9), cache.file(key));
        ICudaEngine e = deserialize(plan);
        if (e == null) {
            throw new IvfuseException("tensorrt engine: TensorRT cannot load the engine it just built: " + logger.lastError());
        }
        return e;
    }

    private ICudaEngine deserialize(byte[] plan) {
        try (BytePointer p = new BytePointer(plan)) {
            ICudaEngine e = runtime.deserializeCudaEngine(p, plan.length);
            return e == null || e.isNull() ? null : e;
        }
    }

    /** Parses the ONNX model and builds a serialised engine for {@code profile}. */
    private byte[] build(Profile profile) {
        IBuilder builder = nvinfer.createInferBuilder(logger);
        INetworkDefinition network = builder.createNetworkV2(0); // weakly typed, so the FP16 flag applies
        IParser parser = nvonnxparser.createParser(network, logger);
        IBuilderConfig config = builder.createBuilderConfig();
        IOptimizationProfile opt = builder.createOptimizationProfile();
        try (BytePointer onnx = new BytePointer(model)) {
            if (!parser.parse(onnx, model.length)) {
                throw new IvfuseException("model " + modelName + ": TensorRT cannot parse it: " + parseErrors(parser));
            }
            if (precision == Precision.FP16) {
                config.setFlag(nvinfer.BuilderFlag.kFP16);
            }
            for (String input : new String[] {convention.visibleInput(), convention.infraredInput()}) {
                try (Dims64 min = dims(profile.minWidth(), profile.minHeight());
                     Dims64 o = dims(profile.optWidth(), profile.optHeight());
                     Dims64 max = dims(profile.maxWidth(), profile.maxHeight())) {
                    opt.setDimensions(input, nvinfer.OptProfileSelector.kMIN, min);
                    opt.setDimensions(input, nvinfer.OptProfileSelector.kOPT, o);
                    opt.setDimensions(input, nvinfer.OptProfileSelector.kMAX, max);
                }
            }
            config.addOptimizationProfile(opt);
            IHostMemory plan = builder.buildSerializedNetwork(network, config);
            if (plan == null || plan.isNull()) {
                throw new IvfuseException("tensorrt engine: building " + modelName + " for profile " + profile + " failed: "
                        + logger.lastError());
            }
            try {
                byte[] bytes = new byte[(int) plan.size()];
                new BytePointer(plan.data()).capacity(plan.size()).get(bytes);
                return bytes;
            } finally {
                plan.deallocate();
            }
        } finally {
            config.deallocate();
            parser.deallocate();
            network.deallocate();
            builder.deallocate();
        }
    }

    static Dims64 dims(int width, int height) {
        Dims64 d = new Dims64();
        d.nbDims(4).d(0, 1).d(1, 1).d(2, height).d(3, width);
        return d;
    }

    /** The parser's errors, each with the node and operator it stopped at (an unsupported layer is named). */
    private static String parseErrors(IParser parser) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parser.getNbErrors(); i++) {
            IParserError e = parser.getError(i);
            sb.append(i == 0 ? "" : "; ").append(ParseErrors.describe(e.nodeName(), e.nodeOperator(), e.node(), e.desc()));
        }
        return sb.length() == 0 ? "no parser message" : sb.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        engines.values().forEach(ICudaEngine::deallocate);
        engines.clear();
        runtime.deallocate();
    }
}
