package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import io.ivfuse.fusion.FusionEngines;
import io.ivfuse.fusion.onnx.OnnxRuntimeEngineProvider;
import org.junit.jupiter.api.Test;

class GpuFactsTest {
    private static final int TRT = 101501;

    private static GpuFacts.Verdict verdict(String cudaError, int runtime, int driver, int devices, String trtError, int trtLib) {
        return new GpuFacts(true, cudaError, runtime, driver, devices, devices > 0 ? "NVIDIA H200" : null, 9, 0, trtError, trtLib, TRT)
                .verdict();
    }

    private static void assertNot(GpuFacts.Verdict v, String... phrases) {
        assertFalse(v.available(), v.detail());
        for (String p : phrases) {
            assertTrue(v.detail().contains(p), "'" + p + "' in: " + v.detail());
        }
    }

    @Test
    void eachMissingPieceIsNamedWithTheVersionsFound() {
        assertNot(new GpuFacts(false, "no CUDA presets natives for linux-x86_64 in this build", 13010, 0, 0, null, 0, 0, null, 0,
                TRT).verdict(), "no CUDA presets natives for linux-x86_64", "-Pgpu", "-Pjetson", "13.1");
        assertNot(verdict("no jnicudart in java.library.path", 13010, 0, 0, null, 0), "CUDA 13.1 runtime does not load",
                "no jnicudart", "LD_LIBRARY_PATH");
        assertNot(verdict(null, 13010, 0, 0, null, 0), "no NVIDIA driver", "libcuda", "13.1");
        assertNot(verdict(null, 13010, 12060, 1, null, 0), "CUDA version mismatch", "driver supports CUDA 12.6",
                "runtime is 13.1", "pathsFirst");
        assertNot(verdict(null, 13010, 13010, 0, null, 0), "no CUDA device", "driver CUDA 13.1");
        assertNot(verdict(null, 13010, 13020, 1, "no jnvinfer", 0), "TensorRT 10.15.1 does not load", "no jnvinfer", "NVIDIA H200");
        assertNot(verdict(null, 13010, 13020, 1, null, 100300), "TensorRT version mismatch", "library 10.3.0", "10.15.1");
    }

    @Test
    void availableSaysWhatItRunsWith() {
        GpuFacts.Verdict v = verdict(null, 13010, 13020, 1, null, 101502);
        assertTrue(v.available(), v.detail());
        assertEquals("TensorRT 10.15.2, CUDA runtime 13.1, driver 13.2, NVIDIA H200 (sm_90)", v.detail());
    }

    @Test
    void theRealProbeExplainsItselfAndAutoRanksTensorRtFirst() {
        GpuFacts.Verdict v = GpuProbe.facts().verdict();
        assertFalse(v.detail().isBlank());
        assertTrue(TensorRtEngineProvider.RANK > OnnxRuntimeEngineProvider.RANK);
        assertEquals(TensorRtEngineProvider.NAME, FusionEngines.names().get(0), "best rank first");
        String picked = FusionEngines.provider(FusionEngines.AUTO, EngineOptions.defaults()).name();
        assertEquals(v.available() ? TensorRtEngineProvider.NAME : OnnxRuntimeEngineProvider.NAME, picked);
        if (!v.available()) {
            IvfuseException e = org.junit.jupiter.api.Assertions.assertThrows(IvfuseException.class,
                    () -> FusionEngines.create("tensorrt", EngineOptions.defaults()));
            assertTrue(e.getMessage().contains("not available on this machine: " + v.detail()), e.getMessage());
        }
    }

    @Test
    void outOfMemoryAndParseErrorsSayWhatHappened() {
        String oom = CudaCalls.message(CudaCalls.OUT_OF_MEMORY, "allocating a 1920x1080 session (8100 KiB of GPU memory)", "x");
        assertTrue(oom.contains("GPU out of memory while allocating a 1920x1080 session"), oom);
        assertEquals("tensorrt engine: CUDA error 700 (an illegal memory access) while fusing a 64x64 frame",
                CudaCalls.message(700, "fusing a 64x64 frame", "an illegal memory access"));
        assertEquals("operator GridSample node 'warp_3': unsupported",
                ParseErrors.describe("warp_3", "GridSample", 12, "unsupported"));
        assertEquals("node #4: bad weights", ParseErrors.describe("", "", 4, "bad weights"));
    }
}
