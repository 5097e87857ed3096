package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.onnx.TestModels;
import io.ivfuse.model.ModelInfo;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {

    @TempDir
    Path tmp;

    /** Runs {@code ivfuse models ARGS}, rethrowing user errors as the real CLI would report them. */
    private static String run(String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cl = new CommandLine(new ModelsCommand());
        cl.setOut(new PrintWriter(sw, true));
        Exception[] thrown = new Exception[1];
        cl.setExecutionExceptionHandler((e, c, p) -> {
            thrown[0] = e;
            return 1;
        });
        int code = cl.execute(args);
        if (thrown[0] instanceof IvfuseException e) {
            throw e;
        }
        assertEquals(0, code, sw.toString());
        return sw.toString();
    }

    @Test
    void infoCountsParametersAndMacsPerPixel() {
        Path tiny = tmp.resolve("tiny.onnx");
        TestModels.tinyUNet(tiny, 1);
        ModelInfo info = ModelInfo.read(tiny);
        // c1: 4*2*9 at full size, c2: 4*4*9 at a quarter of the area, out: 1*8*1*1 at full size
        assertEquals(72 + 36 + 8, info.macsPerPixel(), 1e-9);
        assertEquals(4 * 2 * 9 + 4 + 4 * 4 * 9 + 4 + 8 + 1, info.parameters());
        String out = run("info", tiny.toString());
        assertTrue(out.contains("input:        vi [N, 1, H, W]") && out.contains("size multiple: 4")
                && out.contains("MAC/pixel:    116"), out);
    }

    @Test
    void listShowsUserModels() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("models"));
        TestModels.tinyUNet(dir.resolve("tiny.onnx"), 1);
        TestModels.withoutConvention(dir.resolve("plain.onnx"));
        String out = run("list", "--dir", dir.toString());
        assertTrue(out.contains("tiny.onnx") && out.contains("vi,ir") && out.contains("(no ivfuse metadata)"), out);
        IvfuseException e = assertThrows(IvfuseException.class, () -> run("list", "--dir", tmp.resolve("none").toString()));
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void importSageWritesAModelWithTheConventionAndItsCost() {
        Path checkpoint = SharedFiles.require("models/sage/checkpoints.pt");
        Path onnx = tmp.resolve("sage-s.onnx");
        String out = run("import-sage", checkpoint.toString(), "-o", onnx.toString(), "--features");
        assertTrue(out.contains("134,529 parameters") && out.contains("65,056 MAC/pixel"), out);
        ModelInfo info = ModelInfo.read(onnx);
        assertEquals(65_056, info.macsPerPixel(), 1e-6, "ARCH.md: about 65k MAC per pixel");
        assertEquals(134_529, info.parameters(), "135,617 learnable minus 17 folded BatchNorms of 2 x 32");
        assertEquals("4", info.metadata().get("ivfuse.size_multiple"));
        assertEquals(6, info.outputs().size(), "fused and x1..x5");
    }

    @Test
    void importSageRejectsAFileThatIsNotACheckpoint() throws IOException {
        Path bogus = Files.writeString(tmp.resolve("weights.pt"), "definitely not a zip");
        IvfuseException e = assertThrows(IvfuseException.class,
                () -> run("import-sage", bogus.toString(), "-o", tmp.resolve("x.onnx").toString()));
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());
    }
}
