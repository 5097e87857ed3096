package io.ivfuse.cli;

import static io.ivfuse.cli.RunCommandTest.assertRefused;
import static io.ivfuse.cli.RunCommandTest.ivfuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.cli.RunCommandTest.Result;
import io.ivfuse.fusion.onnx.TestModels;
import io.ivfuse.model.ModelInfo;
import io.ivfuse.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {

    @TempDir
    Path tmp;

    /** {@code ivfuse models ARGS} through Main: its standard output, after checking it exited 0. */
    private static String run(String... args) {
        List<String> all = new ArrayList<>(List.of("models"));
        all.addAll(List.of(args));
        Result r = ivfuse(all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r.out();
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
        assertRefused(ivfuse("models", "list", "--dir", tmp.resolve("none").toString()), "model folder " + tmp.resolve("none")
                + " does not exist");
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
        assertRefused(ivfuse("models", "import-sage", bogus.toString(), "-o", tmp.resolve("x.onnx").toString()),
                "not a PyTorch checkpoint");
    }
}
