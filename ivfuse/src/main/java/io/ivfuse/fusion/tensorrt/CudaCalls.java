package io.ivfuse.fusion.tensorrt;

import io.ivfuse.IvfuseException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;

/** Turns CUDA status codes into {@link IvfuseException}s that say what was being done; out of memory says so plainly. */
final class CudaCalls {
    /** {@code cudaErrorMemoryAllocation}, and the driver API's {@code CUDA_ERROR_OUT_OF_MEMORY}: both 2. */
    static final int OUT_OF_MEMORY = cudart.cudaErrorMemoryAllocation;

    private CudaCalls() {
    }

    /** Throws unless the runtime call returned success. */
    static void check(int status, String what) {
        if (status != cudart.cudaSuccess) {
            throw new IvfuseException(message(status, what, errorName(status)));
        }
    }

    /** The message for a failed call; pure, so tests can check it without a GPU. */
    static String message(int status, String what, String errorName) {
        if (status == OUT_OF_MEMORY) {
            return "tensorrt engine: GPU out of memory while " + what + " (free GPU memory, or use smaller frames, fewer"
                    + " fusion threads or precision=fp16)";
        }
        return "tensorrt engine: CUDA error " + status + " (" + errorName + ") while " + what;
    }

    private static String errorName(int status) {
        BytePointer s = cudart.cudaGetErrorString(status);
        return s == null ? "unknown" : s.getString();
    }
}
