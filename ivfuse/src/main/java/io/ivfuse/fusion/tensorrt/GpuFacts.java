package io.ivfuse.fusion.tensorrt;

/**
 * What the availability probe found about CUDA and TensorRT on this machine; {@link #verdict()}
 * turns it into one line. Versions are encoded as the libraries report them: CUDA
 * {@code 1000 * major + 10 * minor}, TensorRT {@code 10000 * major + 100 * minor + patch}; 0 is
 * unknown.
 *
 * @param cudaNatives      whether this build carries the CUDA presets' natives (-Pgpu, -Pjetson)
 * @param cudaLoadError    why the CUDA presets' natives did not load, or null when they did
 * @param cudaRuntime      the CUDA runtime's version
 * @param cudaDriver       the version the installed driver supports (0: no driver, no libcuda)
 * @param devices          CUDA devices seen
 * @param deviceName       device 0's name, or null
 * @param computeMajor     device 0's compute capability
 * @param computeMinor     device 0's compute capability
 * @param tensorrtLoadError why TensorRT's natives did not load, or null when they did
 * @param tensorrtLibrary  the loaded TensorRT library's version
 * @param tensorrtHeaders  the version the presets were built for
 */
public record GpuFacts(boolean cudaNatives, String cudaLoadError, int cudaRuntime, int cudaDriver, int devices, String deviceName,
                       int computeMajor, int computeMinor, String tensorrtLoadError, int tensorrtLibrary,
                       int tensorrtHeaders) {

    /** Availability and its reason or versions, one line. */
    public record Verdict(boolean available, String detail) {
    }

    public Verdict verdict() {
        if (cudaLoadError != null && !cudaNatives) {
            return no(cudaLoadError + ": build with -Pgpu (x86_64) or -Pjetson (arm64), and install the CUDA "
                    + cuda(cudaRuntime) + " runtime");
        }
        if (cudaLoadError != null) { // the JNI wrappers are there; the system's CUDA libraries they link are not
            return no("the CUDA " + cuda(cudaRuntime) + " runtime does not load (" + cudaLoadError + "): install it, or put"
                    + " its lib64 folder on LD_LIBRARY_PATH");
        }
        if (cudaDriver == 0) {
            return no("no NVIDIA driver (libcuda not found); CUDA runtime " + cuda(cudaRuntime));
        }
        if (cudaDriver < cudaRuntime) {
            return no("CUDA version mismatch: the driver supports CUDA " + cuda(cudaDriver) + ", the runtime is "
                    + cuda(cudaRuntime) + " (update the driver, or use presets built for CUDA " + cuda(cudaDriver)
                    + " with -Dorg.bytedeco.javacpp.pathsFirst=true)");
        }
        if (devices == 0) {
            return no("no CUDA device (driver CUDA " + cuda(cudaDriver) + ", runtime " + cuda(cudaRuntime) + ")");
        }
        String cuda = "CUDA runtime " + cuda(cudaRuntime) + ", driver " + cuda(cudaDriver) + ", " + deviceName
                + " (sm_" + computeMajor + computeMinor + ")";
        if (tensorrtLoadError != null) {
            return no("TensorRT " + tensorrt(tensorrtHeaders) + " does not load (" + tensorrtLoadError + "); " + cuda);
        }
        if (tensorrtLibrary / 100 != tensorrtHeaders / 100) {
            return no("TensorRT version mismatch: library " + tensorrt(tensorrtLibrary) + ", the presets need "
                    + tensorrt(tensorrtHeaders) + "; " + cuda);
        }
        return new Verdict(true, "TensorRT " + tensorrt(tensorrtLibrary) + ", " + cuda);
    }

    private static Verdict no(String why) {
        return new Verdict(false, why);
    }

    /** CUDA's encoded version as major.minor ("13.1"). */
    static String cuda(int v) {
        return v <= 0 ? "unknown" : (v / 1000) + "." + (v % 1000) / 10;
    }

    /** TensorRT's encoded version as major.minor.patch ("10.15.1"). */
    static String tensorrt(int v) {
        return v <= 0 ? "unknown" : (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
    }
}
