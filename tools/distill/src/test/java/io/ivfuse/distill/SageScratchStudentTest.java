package io.ivfuse.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.model.ModelInfo;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

/** The sage-s architecture, trainable from scratch: its export computes its training forward pass. */
class SageScratchStudentTest {

    @Test
    void exportMatchesTheForwardPassAndTheArchitectureCost() throws Exception {
        SageScratchStudent sage = new SageScratchStudent(32, 5);
        NanoStudentTest.perturb(sage, 6);
        int h = 20;
        int w = 28;
        float[] vis = NanoStudentTest.random(3, h * w);
        float[] ir = NanoStudentTest.random(4, h * w);
        float[] torchOut;
        try (NoGradGuard g = new NoGradGuard()) {
            torchOut = Tensors.toArray(sage.forward(Tensors.of(vis, 1, 1, h, w), Tensors.of(ir, 1, 1, h, w)).fused());
        }
        float[] onnxOut = NanoStudentTest.runOnnx(sage.toOnnx(Map.of()), vis, ir, h, w);
        double max = 0;
        for (int i = 0; i < torchOut.length; i++) {
            max = Math.max(max, Math.abs(torchOut[i] - onnxOut[i]));
        }
        assertTrue(max < 1e-4, "max |libtorch - onnxruntime| = " + max);
        ModelInfo info = ModelInfo.of(sage.toOnnx(Map.of()), "sage");
        assertEquals(134_529, info.parameters(), "the folded sage-s parameter count");
        assertEquals(65_056, info.macsPerPixel(), 1.0);
    }
}
