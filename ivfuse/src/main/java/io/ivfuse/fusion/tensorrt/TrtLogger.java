package io.ivfuse.fusion.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT's messages to SLF4J. Keeps the last error, so a failed build or parse can say why
 * (TensorRT returns null and tells only its logger). One per engine; TensorRT calls it from the
 * building thread.
 */
final class TrtLogger extends ILogger {
    private static final Logger log = LoggerFactory.getLogger("io.ivfuse.tensorrt");
    private volatile String lastError;

    @Override
    public void log(Severity severity, String message) {
        switch (severity.intern()) {
            case kINTERNAL_ERROR, kERROR -> {
                lastError = message;
                log.error("TensorRT: {}", message);
            }
            case kWARNING -> log.warn("TensorRT: {}", message);
            case kINFO -> log.debug("TensorRT: {}", message);
            default -> log.trace("TensorRT: {}", message);
        }
    }

    /** The last error TensorRT reported, or "no message". */
    String lastError() {
        String e = lastError;
        return e == null ? "no message" : e;
    }
}
