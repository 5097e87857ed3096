package io.ivfuse.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import io.ivfuse.util.FfmpegLog;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide native settings, applied once before any native object exists: explicit JavaCPP
 * memory limits (users may override them with -D), JavaCPP/JavaCV logging through SLF4J, FFmpeg's
 * own log quietened to errors and sent through SLF4J ({@link FfmpegLog}), and OpenCV's thread pool off: ivfuse already runs stages and frames
 * (or images) in parallel, and at video frame sizes OpenCV's own threads only add overhead
 * (benchmarks/registration.md, benchmarks/engines.md). Also G1's periodic collection, see
 * {@link #collectPeriodically()}.
 */
public final class Natives {
    static final long PERIODIC_GC_MS = 15_000;
    private static final Logger log = LoggerFactory.getLogger(Natives.class);
    private static boolean done;

    private Natives() {
    }

    public static synchronized void init() {
        if (done) {
            return;
        }
        done = true;
        setDefault("org.bytedeco.javacpp.maxBytes", "2g");
        setDefault("org.bytedeco.javacpp.maxPhysicalBytes", "8g");
        setDefault("org.bytedeco.javacpp.logger", "slf4j");
        av_log_set_level(AV_LOG_ERROR);
        FfmpegLog.install();
        setNumThreads(1);
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
    private static void collectPeriodically() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption interval = hotspot.getVMOption("G1PeriodicGCInterval");
            if (interval.getOrigin() == VMOption.Origin.DEFAULT && "0".equals(interval.getValue())
                    && "true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
                hotspot.setVMOption("G1PeriodicGCInterval", Long.toString(PERIODIC_GC_MS));
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            log.debug("G1 periodic collection not set: {}", e.toString()); // another JVM or collector
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
