package io.ivfuse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageStudentTest {

    /** A synthetic SAGE state dict of width {@code dim} with BN gamma 2, var 3, mean 1, beta 0.5. */
    static Map<String, TorchTensor> stateDict(int dim) {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        for (int m = 1; m <= 5; m++) {
            for (int b = 0; b < 3; b++) {
                addConvBn(sd, "module" + m + "." + (3 * b), "module" + m + "." + (3 * b + 1), dim, m == 1 && b == 0 ? 2 : dim, 3);
            }
        }
        addConvBn(sd, "adjust_channels4.0", "adjust_channels4.1", dim, 2 * dim, 1);
        addConvBn(sd, "adjust_channels5.0", "adjust_channels5.1", dim, 2 * dim, 1);
        sd.put("final_decoder.0.weight", filled(new int[] {1, dim, 3, 3}, 0.1f));
        sd.put("final_decoder.0.bias", filled(new int[] {1}, 0f));
        return sd;
    }

    private static void addConvBn(Map<String, TorchTensor> sd, String conv, String bn, int out, int in, int k) {
        sd.put(conv + ".weight", filled(new int[] {out, in, k, k}, 1f));
        sd.put(conv + ".bias", filled(new int[] {out}, 2f));
        sd.put(bn + ".weight", filled(new int[] {out}, 2f));
        sd.put(bn + ".bias", filled(new int[] {out}, 0.5f));
        sd.put(bn + ".running_mean", filled(new int[] {out}, 1f));
        sd.put(bn + ".running_var", filled(new int[] {out}, 3f));
        sd.put(bn + ".num_batches_tracked", TorchTensor.ofLongs(new int[] {}, new long[] {7}));
    }

    private static TorchTensor filled(int[] shape, float v) {
        float[] a = new float[(int) TorchTensor.numel(shape)];
        java.util.Arrays.fill(a, v);
        return TorchTensor.ofFloats(shape, a);
    }

    @Test
    void foldsBatchNormIntoTheConvolution() {
        SageStudent s = SageStudent.fromStateDict(stateDict(4), "synthetic");
        assertEquals(4, s.dim());
        var model = s.toOnnx(false, Map.of());
        var w = model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("module1.0.weight")).findFirst().orElseThrow();
        var b = model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("module1.0.bias")).findFirst().orElseThrow();
        float scale = (float) (2 / Math.sqrt(3 + 1e-5));
        float w0 = w.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
        float b0 = b.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0);
        assertEquals(scale, w0, 1e-6);
        assertEquals((2 - 1) * scale + 0.5f, b0, 1e-6);
        assertEquals(4, model.getGraph().getInputCount() + model.getGraph().getOutputCount() + 1);
        assertEquals(6, s.toOnnx(true, Map.of()).getGraph().getOutputCount(), "fused + x1..x5");
    }

    @Test
    void missingMisshapenAndUnexpectedTensorsAreNamed() {
        Map<String, TorchTensor> missing = stateDict(4);
        missing.remove("module3.4.running_var");
        IvfuseException e = assertThrows(IvfuseException.class, () -> SageStudent.fromStateDict(missing, "ck.pt"));
        assertEquals("ck.pt: tensor 'module3.4.running_var' is missing", e.getMessage());

        Map<String, TorchTensor> misshapen = stateDict(4);
        misshapen.put("adjust_channels5.0.weight", filled(new int[] {4, 4, 1, 1}, 1f));
        IvfuseException m = assertThrows(IvfuseException.class, () -> SageStudent.fromStateDict(misshapen, "ck.pt"));
        assertTrue(m.getMessage().contains("'adjust_channels5.0.weight'") && m.getMessage().contains("[4, 8, 1, 1]"),
                m.getMessage());

        Map<String, TorchTensor> extra = stateDict(4);
        extra.put("attention.weight", filled(new int[] {4}, 1f));
        IvfuseException x = assertThrows(IvfuseException.class, () -> SageStudent.fromStateDict(extra, "ck.pt"));
        assertTrue(x.getMessage().contains("unknown architecture") && x.getMessage().contains("attention.weight"),
                x.getMessage());

        IvfuseException u = assertThrows(IvfuseException.class,
                () -> SageStudent.fromStateDict(Map.of("fc.weight", filled(new int[] {2, 2}, 1f)), "resnet.pt"));
        assertTrue(u.getMessage().startsWith("unknown architecture in resnet.pt"), u.getMessage());
    }
}
