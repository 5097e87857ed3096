package io.ivfuse.fusion.tensorrt;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Gathers {@link GpuFacts} here, once per process: loads the CUDA presets, asks the runtime and
 * driver for their versions and devices, then loads TensorRT and its ONNX parser. Never throws:
 * each failure becomes the fact that explains it.
 */
public final class GpuProbe {
    /** The TensorRT version the presets' headers declare (compile-time constants, no natives needed). */
    static final int TENSORRT_HEADERS = nvinfer.NV_TENSORRT_MAJOR * 10000 + nvinfer.NV_TENSORRT_MINOR * 100
            + nvinfer.NV_TENSORRT_PATCH;

    private static volatile GpuFacts facts;

    private GpuProbe() {
    }

    public static GpuFacts facts() {
        GpuFacts f = facts;
        if (f == null) {
            f = gather();
            facts = f;
        }
        return f;
    }

    private static GpuFacts gather() {
        String platform = Loader.getPlatform();
        boolean pathsFirst = Boolean.parseBoolean(System.getProperty("org.bytedeco.javacpp.pathsFirst", "false"));
        String wrapper = "org/bytedeco/cuda/" + platform + "/" + System.mapLibraryName("jnicudart");
        if (!pathsFirst && GpuProbe.class.getClassLoader().getResource(wrapper) == null) {
            // The default build: saying so costs nothing, where a load attempt costs ~70 ms of every auto run.
            return new GpuFacts(false, "no CUDA presets natives for " + platform + " in this build", cudart.CUDART_VERSION, 0, 0,
                    null, 0, 0, null, 0, TENSORRT_HEADERS);
        }
        try {
            Loader.load(cudart.class);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: no natives for this platform
            return new GpuFacts(true, oneLine(t), cudart.CUDART_VERSION, 0, 0, null, 0, 0, null, 0, TENSORRT_HEADERS);
        }
        int[] v = new int[1];
        int runtime = cudart.cudaRuntimeGetVersion(v) == cudart.cudaSuccess ? v[0] : cudart.CUDART_VERSION;
        int driver = cudart.cudaDriverGetVersion(v) == cudart.cudaSuccess ? v[0] : 0;
        int devices = driver > 0 && cudart.cudaGetDeviceCount(v) == cudart.cudaSuccess ? v[0] : 0;
        if (devices == 0) {
            return new GpuFacts(true, null, runtime, driver, 0, null, 0, 0, null, 0, TENSORRT_HEADERS);
        }
        String name;
        int major;
        int minor;
        try (cudaDeviceProp prop = new cudaDeviceProp()) {
            cudart.cudaGetDeviceProperties(prop, 0);
            name = prop.name().getString();
            major = prop.major();
            minor = prop.minor();
        }
        try {
            Loader.load(nvinfer.class);
            Loader.load(nvonnxparser.class);
            return new GpuFacts(true, null, runtime, driver, devices, name, major, minor, null, nvinfer.getInferLibVersion(),
                    TENSORRT_HEADERS);
        } catch (Throwable t) {
            return new GpuFacts(true, null, runtime, driver, devices, name, major, minor, oneLine(t), 0, TENSORRT_HEADERS);
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // The JVM appends the whole java.library.path, which says nothing the reason does not.
        int path = m.indexOf("java.library.path:");
        return (path >= 0 ? m.substring(0, path + "java.library.path".length()) : m).replace('\n', ' ');
    }
}
