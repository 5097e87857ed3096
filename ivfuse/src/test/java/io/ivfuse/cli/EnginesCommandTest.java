package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.fusion.FusionEngines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginesCommandTest {
    @Test
    void oneLinePerEngineWithTheReasonWhenNotAvailable() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), "engines");
        assertEquals(0, rc, err.toString());
        List<String> lines = out.toString().lines().toList();
        List<String> names = FusionEngines.names();
        assertEquals(names.size(), lines.size(), out.toString());
        for (int i = 0; i < names.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith(names.get(i) + " "), line);
            assertTrue(line.contains(" available") || line.contains(" not available: "), line);
        }
        String tensorrt = lines.get(names.indexOf("tensorrt"));
        // Here (the default build: the presets' API, no natives) the reason names the missing piece.
        assertTrue(tensorrt.contains("available: TensorRT ") || tensorrt.matches(".*not available: .*(CUDA|TensorRT|driver|device).*"),
                tensorrt);
        assertTrue(lines.get(names.indexOf("onnxruntime")).contains("available: ONNX Runtime 1.29"), out.toString());
    }
}
