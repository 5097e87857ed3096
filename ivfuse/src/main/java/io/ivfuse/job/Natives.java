package io.ivfuse.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.ivfuse.util.FfmpegLog;
import java.lang.management.ManagementFactory;
import org.slf4j.LoggerFactory;

/**
 * Process-wide native settings, each applied once, by the code that first needs that library, so
 * that a command loads only the native libraries it uses ({@code --help} and {@code models} none):
 * <ul>
 * <li>{@link #javacpp()}: explicit JavaCPP memory limits, JavaCPP/JavaCV logging through SLF4J,
 *     and the native builds JavaCPP looks for (users may override each with -D);</li>
 * <li>{@link #ffmpeg()}: FFmpeg's own log quietened to errors and sent through SLF4J ({@link FfmpegLog});</li>
 * <li>{@link #opencv()}: OpenCV's thread pool off: ivfuse already runs stages and frames (or images)
 *     in parallel, and at video frame sizes OpenCV's own threads only add overhead
 *     (benchmarks/registration.md, benchmarks/engines.md);</li>
 * <li>{@link #fusionRun()}: both, and G1's periodic collection, see {@link #collectPeriodically()}.</li>
 * </ul>
 * ONNX Runtime loads itself when an ONNX engine is first asked for (OnnxRuntimeEngineProvider).
 */
public final class Natives {
    static final long PERIODIC_GC_MS = 15_000;
    /**
     * Where JavaCPP looks for native builds besides the plain platform folder. OpenCV's presets
     * default to "-gpu", which makes JavaCPP try 25 CUDA libraries (cudart, cublas, cudnn, npp...)
     * before opencv_core, about 0.4 s, for a build ivfuse does not ship. FFmpeg's gpl build
     * (the gpl profile) lives under "linux-x86_64-gpl": with "-gpl" JavaCPP finds it there, and
     * the default build in the plain folder; an empty extension would miss the gpl build.
     */
    static final String PLATFORM_EXTENSION = "-gpl";
    private static boolean javacppSet;
    private static boolean ffmpegReady;
    private static boolean opencvReady;
    private static boolean collecting;

    private Natives() {
    }

    /**
     * JavaCPP's settings, as system properties that the user's -D flags take precedence over.
     * Loads nothing; must run before the first JavaCPP class does, since JavaCPP reads them once
     * ({@code Main} calls it first, and so do the other methods here).
     */
    public static synchronized void javacpp() {
        if (javacppSet) {
            return;
        }
        javacppSet = true;
        setDefault("org.bytedeco.javacpp.maxBytes", "2g");
        setDefault("org.bytedeco.javacpp.maxPhysicalBytes", "8g");
        setDefault("org.bytedeco.javacpp.logger", "slf4j");
        setDefault("org.bytedeco.javacpp.platform.extension", PLATFORM_EXTENSION);
    }

    /** Loads FFmpeg with its log set up; call before the first FFmpeg object. Idempotent. */
    public static synchronized void ffmpeg() {
        if (!ffmpegReady) {
            javacpp();
            av_log_set_level(AV_LOG_ERROR);
            FfmpegLog.install();
            ffmpegReady = true;
        }
    }

    /** Loads OpenCV with its thread pool off; call before the first OpenCV object. Idempotent. */
    public static synchronized void opencv() {
        if (!opencvReady) {
            javacpp();
            setNumThreads(1);
            opencvReady = true;
        }
    }

    /** What a fusion run needs before it opens anything: FFmpeg, OpenCV, and G1's periodic collection. */
    public static void fusionRun() {
        ffmpeg();
        opencv();
        collectPeriodically();
    }

    /**
     * Has G1 collect every {@value #PERIODIC_GC_MS} ms when nothing else made it collect, unless
     * the user set {@code -XX:G1PeriodicGCInterval} (a manageable flag, so it can be set here).
     * The frame path of ivfuse allocates nothing, but a library may (ONNX Runtime's Java
     * {@code run()} makes about 0.5 KB a frame): with the default heap such garbage goes to
     * eden regions never touched before, and RSS grows until eden is full, which at camera rates
     * is hours and hundreds of MiB (benchmarks/soak.md). A young collection now and then puts
     * eden back on the same few pages; it is a pause of a few milliseconds.
     */
    private static synchronized void collectPeriodically() {
        if (collecting) {
            return;
        }
        collecting = true;
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption interval = hotspot.getVMOption("G1PeriodicGCInterval");
            if (interval.getOrigin() == VMOption.Origin.DEFAULT && "0".equals(interval.getValue())
                    && "true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
                hotspot.setVMOption("G1PeriodicGCInterval", Long.toString(PERIODIC_GC_MS));
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LoggerFactory.getLogger(Natives.class).debug("G1 periodic collection not set: {}", e.toString()); // another JVM or collector
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
