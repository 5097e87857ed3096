package io.ivfuse.fusion.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels' own source, {@code native/frame_kernels.cu}, run without a GPU: compiled by the host
 * C++ compiler against a harness that defines the CUDA built-ins and walks the grid (no FMA
 * contraction, as NVRTC's --fmad=false), then compared with {@link FrameKernelsReference} and the
 * translator. Also compiled to PTX by nvcc when the CUDA toolkit is here, as NVRTC will.
 */
class FrameKernelsHostTest {
    private static final Path KERNELS = Path.of("..", "native", "frame_kernels.cu");

    @TempDir
    static Path dir;
    private static Path harness;

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command, Path stdin, Path stdout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(stdout == null);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Path log = dir.resolve("log-" + System.nanoTime());
        pb.redirectOutput(stdout != null ? stdout.toFile() : log.toFile());
        if (stdout != null) {
            pb.redirectError(log.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    @BeforeAll
    static void compileHarness() throws Exception {
        assumeTrue(onPath("g++"), "no g++ on PATH: the kernels cannot be compiled for the host");
        Path source = Path.of("src", "test", "resources", "native", "host_harness.cpp");
        harness = dir.resolve("host_harness");
        run(List.of("g++", "-std=c++17", "-O1", "-ffp-contract=off", "-I", KERNELS.getParent().toString(), "-o",
                harness.toString(), source.toString()), null, null);
    }

    @Test
    void inputKernelOnTheHostMatchesTheTranslator() throws Exception {
        Random r = new Random(21);
        for (ModelConvention c : FrameKernelsReferenceTest.CONVENTIONS) {
            for (int[] s : FrameKernelsReferenceTest.SIZES) {
                ModelTranslator t = new ModelTranslator(c, s[0], s[1]);
                Plane p = FrameKernelsReferenceTest.randomPlane(r, s[0], s[1], s[0] + 1);
                ByteBuffer in = ByteBuffer.allocate(p.stride() * s[1] + 256 * 4).order(ByteOrder.LITTLE_ENDIAN);
                in.put(FrameKernelsReferenceTest.bytes(p));
                for (float v : FrameKernelsReference.inputTable(t)) {
                    in.putFloat(v);
                }
                ByteBuffer out = exchange(in.array(), List.of("in", s[0], s[1], p.stride(), t.paddedWidth(), t.paddedHeight()));
                java.nio.FloatBuffer expected = java.nio.FloatBuffer.allocate(t.tensorElements());
                t.toInput(p, expected);
                float[] got = new float[t.tensorElements()];
                out.asFloatBuffer().get(got);
                assertArrayEquals(expected.array(), got, c + " " + s[0] + "x" + s[1]);
            }
        }
    }

    @Test
    void outputKernelOnTheHostMatchesTheTranslator() throws Exception {
        Random r = new Random(22);
        for (ModelConvention c : FrameKernelsReferenceTest.CONVENTIONS) {
            int[] s = {37, 21};
            ModelTranslator t = new ModelTranslator(c, s[0], s[1]);
            float[] values = FrameKernelsReferenceTest.randomOutput(r, t.paddedWidth() * s[1], c);
            ByteBuffer in = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            in.asFloatBuffer().put(values);
            int[] steps = FrameKernelsReference.stepCodes(c);
            ByteBuffer out = exchange(in.array(), List.of("out", t.paddedWidth(), s[0], s[1], s[0], c.rangeLow(), c.rangeHigh(),
                    FrameKernelsReference.valueToUnit(c), steps[0], steps[1], steps[2]));
            float[] padded = java.util.Arrays.copyOf(values, t.tensorElements());
            Plane expected = Plane.allocate(s[0], s[1]);
            t.fromOutput(java.nio.FloatBuffer.wrap(padded), expected);
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    assertEquals(expected.get(x, y), out.get(y * s[0] + x) & 0xFF, c + " at " + x + "," + y);
                }
            }
        }
    }

    private static ByteBuffer exchange(byte[] input, List<Object> args) throws Exception {
        Path in = Files.write(dir.resolve("in.bin"), input);
        Path out = dir.resolve("out.bin");
        List<String> command = new ArrayList<>();
        command.add(harness.toString());
        args.forEach(a -> command.add(String.valueOf(a)));
        run(command, in, out);
        return ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void nvccCompilesTheKernelsToPtx() throws Exception {
        assumeTrue(onPath("nvcc"), "no nvcc on PATH (the CUDA toolkit is not needed at run time: NVRTC compiles the kernels)");
        Path ptx = dir.resolve("frame_kernels.ptx");
        run(List.of("nvcc", "-ptx", "--fmad=false", "-o", ptx.toString(), KERNELS.toString()), null, null);
        String text = Files.readString(ptx);
        for (String kernel : new String[] {FrameKernels.TO_INPUT, FrameKernels.TO_BYTES}) {
            assertEquals(true, text.contains(".entry " + kernel), kernel + " in the PTX");
        }
    }
}
