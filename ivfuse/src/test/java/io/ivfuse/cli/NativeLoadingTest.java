package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.fusion.onnx.DefaultModel;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.TestVideos;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each command loads only the native bindings it uses: read from the class-loading log of a child
 * JVM ({@code -Xlog:class+load}), so that no other test's classes are in the way.
 */
class NativeLoadingTest {
    /** Package of each binding's Java classes, and the name the failures use. */
    private static final Map<String, String> BINDINGS = Map.of(
            "org.bytedeco.javacpp.", "JavaCPP",
            "org.bytedeco.ffmpeg.", "FFmpeg",
            "org.bytedeco.opencv.", "OpenCV",
            "ai.onnxruntime.", "ONNX Runtime");
    private static final Pattern LOADED = Pattern.compile("\\] (\\S+) source: ");

    @TempDir
    Path dir;

    @Test
    void helpLoadsNoNativeBinding() throws Exception {
        assertEquals(Set.of(), bindingsLoadedBy("--help").bindings());
    }

    @Test
    void modelsInfoReadsTheGraphWithoutOnnxRuntime() throws Exception {
        Run r = bindingsLoadedBy("models", "info", shippedModel().toString());
        assertTrue(r.output().contains("MAC/pixel:"), r.output());
        assertEquals(Set.of(), r.bindings());
    }

    @Test
    void aClassicalRunLoadsFfmpegAndOpencvButNotOnnxRuntime() throws Exception {
        Path vis = TestVideos.write(dir.resolve("vis.mkv"), 64, 48, 30, 5, "ffv1", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mkv"), 64, 48, 30, 5, "ffv1", (i, x, y) -> 200 - 5 * i);
        Run r = bindingsLoadedBy("run", "--ir", ir.toString(), "--vis", vis.toString(), "--engine", "average",
                "--max-frames", "3", "--codec", "ffv1", "-o", dir.resolve("fused.mkv").toString(), "--progress", "off");
        assertTrue(r.output().contains(", out 3 ("), r.output());
        assertEquals(Set.of("JavaCPP", "FFmpeg", "OpenCV"), r.bindings());
    }

    private record Run(String output, Set<String> bindings) {
    }

    /** Runs ivfuse ARGS in a JVM of its own, which must exit 0, and names the bindings whose classes it loaded. */
    private Run bindingsLoadedBy(String... args) throws IOException, InterruptedException {
        Path classes = dir.resolve("classes.log");
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(IvfuseProcess.onClassPath(System.getProperty("java.class.path"),
                List.of("-Xlog:class+load=info:file=" + classes), args))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ivfuse " + String.join(" ", args) + " finished");
        String out = Files.readString(output);
        assertEquals(0, p.exitValue(), out);
        Set<String> bindings = new TreeSet<>();
        for (String line : Files.readAllLines(classes)) {
            Matcher m = LOADED.matcher(line);
            if (m.find()) {
                BINDINGS.forEach((pkg, name) -> {
                    if (m.group(1).startsWith(pkg)) {
                        bindings.add(name);
                    }
                });
            }
        }
        assertTrue(Files.size(classes) > 0, "no class-loading log");
        return new Run(out, bindings);
    }

    private static Path shippedModel() throws URISyntaxException {
        return Path.of(NativeLoadingTest.class.getClassLoader().getResource(DefaultModel.RESOURCE).toURI());
    }
}
