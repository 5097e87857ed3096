package io.ivfuse.fusion.tensorrt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a serialised TensorRT engine depends on. An engine is only valid for the same model, TensorRT
 * and CUDA versions, GPU, precision and profile, so all of them go into the cache file's name
 * (stronger than DeepStream's {@code <model>_b<batch>_gpu<id>_<precision>.engine}, which misses the
 * versions and the model's content).
 *
 * @param modelSha256 hex SHA-256 of the ONNX model's bytes
 */
public record EngineCacheKey(String modelName, String modelSha256, int tensorrtVersion, int cudaRuntime, int cudaDriver,
                             String gpuName, int computeMajor, int computeMinor, Precision precision, Profile profile) {

    /** Every component, one line, as written into the cache file's header. */
    public String canonical() {
        return "model=" + modelSha256 + ";tensorrt=" + tensorrtVersion + ";cudart=" + cudaRuntime + ";driver=" + cudaDriver
                + ";gpu=" + gpuName + ";sm=" + computeMajor + "." + computeMinor + ";precision=" + precision.label()
                + ";profile=" + profile;
    }

    /** The cache file's name: readable parts, then a hash of {@link #canonical()}. */
    public String fileName() {
        String readable = modelName.replaceAll("\\.onnx$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return readable + "-" + precision.label() + "-" + profile.optWidth() + "x" + profile.optHeight() + "-"
                + sha256(canonical().getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".engine";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
