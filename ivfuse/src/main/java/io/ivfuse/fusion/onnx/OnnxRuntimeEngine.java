package io.ivfuse.fusion.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.ExposureFusionSession;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionMode;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.model.ModelConvention;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a model's bytes and convention; each {@link #openSession} creates its own ONNX Runtime
 * session (one per fusion thread) with the configured execution provider and intra-op threads.
 *
 * <p>Without a model file it runs the model embedded in ivfuse for the run's mode, {@link DefaultModel}
 * ({@code nano} for ir-vis, {@code mef-pyramid} for mef). A model declares its mode in its metadata
 * ({@link ModelConvention#MODE}); a mef model fuses the luminance of two exposures and the chroma is
 * blended by |C - 128| ({@link OnnxExposureSession}).
 *
 * <p>Engine parameters: {@code provider=cpu|cuda|tensorrt} (default cpu), {@code device=N} (GPU
 * index, default 0).
 */
public final class OnnxRuntimeEngine implements FusionEngine {
    private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeEngine.class);
    /** Engine parameters. */
    static final String PROVIDER = "provider";
    static final String DEVICE = "device";

    /** Execution providers ivfuse can ask ONNX Runtime for. */
    enum Provider { CPU, CUDA, TENSORRT }

    private final OrtEnvironment env;
    private final Path modelFile;
    private final byte[] model;
    private final ModelConvention convention;
    private final String outputName;
    private final Provider provider;
    private final int device;
    private final int intraOpThreads;
    private volatile boolean closed;

    private OnnxRuntimeEngine(OrtEnvironment env, Path modelFile, byte[] model, ModelConvention convention,
                              String outputName, Provider provider, int device, int intraOpThreads) {
        this.env = env;
        this.modelFile = modelFile;
        this.model = model;
        this.convention = convention;
        this.outputName = outputName;
        this.provider = provider;
        this.device = device;
        this.intraOpThreads = intraOpThreads;
    }

    /** Loads and checks the model named in {@code options}, or the embedded default ir-vis model when none is named. */
    public static OnnxRuntimeEngine open(EngineOptions options) {
        return open(options, FusionMode.IR_VIS);
    }

    /**
     * Loads and checks the model named in {@code options}, or the embedded default model of
     * {@code mode} when none is named; a model of another mode is refused.
     */
    public static OnnxRuntimeEngine open(EngineOptions options, FusionMode mode) {
        DefaultModel.Loaded loaded = DefaultModel.load(options.model(), OnnxRuntimeEngineProvider.NAME, mode);
        Path file = loaded.path();
        byte[] bytes = loaded.bytes();
        Provider provider = parseProvider(options.params().getOrDefault(PROVIDER, "cpu"));
        int device = options.intParam(DEVICE, 0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // A first session, with the requested provider, checks the model's interface before any frame.
        try (OrtSession probe = createOrtSession(env, file, bytes, provider, device, options.intraOpThreads())) {
            ModelConvention c = ModelConvention.fromMetadata(probe.getMetadata().getCustomMetadata(), file.toString());
            if (!c.mode().equals(mode.label())) {
                throw new IvfuseException("model " + file + " is a " + c.mode() + " model (metadata '" + ModelConvention.MODE
                        + "'), but the run is in mode " + mode);
            }
            Map<String, NodeInfo> inputs = probe.getInputInfo();
            for (String name : new String[] {c.visibleInput(), c.infraredInput()}) {
                if (!inputs.containsKey(name)) {
                    throw new IvfuseException("model " + file + ": input '" + name + "' named in metadata '"
                            + ModelConvention.INPUTS + "' is not in the graph (inputs: " + inputs.keySet() + ")");
                }
            }
            if (inputs.size() != 2) {
                throw new IvfuseException("model " + file + " has " + inputs.size() + " inputs, expected 2 " + inputs.keySet());
            }
            String out = c.output() != null ? c.output() : probe.getOutputNames().iterator().next();
            if (!probe.getOutputNames().contains(out)) {
                throw new IvfuseException("model " + file + ": output '" + out + "' is not in the graph (outputs: "
                        + probe.getOutputNames() + ")");
            }
            log.info("onnxruntime engine: model {} ({}), provider {}, size multiple {}", file,
                    c.toMetadata(), provider.name().toLowerCase(Locale.ROOT), c.sizeMultiple());
            return new OnnxRuntimeEngine(env, file, bytes, c, out, provider, device, options.intraOpThreads());
        } catch (OrtException e) {
            throw new IvfuseException("model " + file + " cannot be read by ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static Provider parseProvider(String name) {
        try {
            return Provider.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IvfuseException("engine parameter 'provider' must be cpu, cuda or tensorrt, got '" + name + "'");
        }
    }

    @Override
    public String name() {
        return OnnxRuntimeEngineProvider.NAME;
    }

    public ModelConvention convention() {
        return convention;
    }

    @Override
    public FusionSession openSession(int width, int height) {
        return new OnnxFusionSession(openNetwork(FusionMode.IR_VIS, width, height));
    }

    @Override
    public ExposureFusionSession openExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
        if (exposures != 2) {
            throw new IllegalArgumentException("model " + modelFile + " fuses 2 exposures (under, over), got " + exposures);
        }
        return new OnnxExposureSession(openNetwork(FusionMode.MEF, width, height), width, height, subsampledChroma);
    }

    /** A network session of the model, which must be of {@code mode}, for one frame size. */
    private TwoInputNetwork openNetwork(FusionMode mode, int width, int height) {
        if (closed) {
            throw new IllegalStateException("onnxruntime engine is closed");
        }
        if (!convention.mode().equals(mode.label())) {
            throw new UnsupportedOperationException("model " + modelFile + " is a " + convention.mode()
                    + " model; it does not support mode " + mode);
        }
        OrtSession session = createOrtSession();
        try {
            return new TwoInputNetwork(env, session, convention, outputName, width, height);
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IvfuseException("model " + modelFile + ": cannot prepare tensors: " + e.getMessage(), e);
        }
    }

    /** A new ONNX Runtime session with this engine's provider and threads. */
    OrtSession createOrtSession() {
        return createOrtSession(env, modelFile, model, provider, device, intraOpThreads);
    }

    private static OrtSession createOrtSession(OrtEnvironment env, Path file, byte[] model, Provider provider,
                                               int device, int intraOpThreads) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            so.setInterOpNumThreads(1);
            // Idle intra-op threads sleep instead of spinning: in the pipeline the decoder and encoder
            // need the same cores, and a small model's parallel sections are short.
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            addProvider(so, provider, device);
            return env.createSession(model, so);
        } catch (OrtException e) {
            throw new IvfuseException("model " + file + " cannot be read by ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static void addProvider(OrtSession.SessionOptions so, Provider provider, int device) {
        try {
            switch (provider) {
                case CPU -> { }
                case CUDA -> so.addCUDA(device);
                case TENSORRT -> {
                    so.addTensorrt(device);
                    so.addCUDA(device); // for the nodes TensorRT does not take
                }
            }
        } catch (OrtException | RuntimeException e) {
            throw new IvfuseException("the " + provider.name().toLowerCase(Locale.ROOT) + " execution provider is not "
                    + "available in this ONNX Runtime build (put the GPU build, com.microsoft.onnxruntime:onnxruntime_gpu, "
                    + "on the class path): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true; // the environment is shared by the process; sessions own their native state
    }
}
