package io.ivfuse.fusion.tensorrt;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The kernels of {@code native/frame_kernels.cu} on one CUDA context: compiled once per process and
 * GPU architecture with NVRTC (no nvcc at build time), loaded as a module per session. Launches take
 * argument blocks made when the session opens ({@link Args}), so a frame allocates nothing.
 */
final class FrameKernels implements AutoCloseable {
    static final String SOURCE = "native/frame_kernels.cu";
    static final String TO_INPUT = "ivf_bytes_to_input";
    static final String TO_BYTES = "ivf_output_to_bytes";
    /** Threads per block in x and y. */
    private static final int BLOCK = 16;
    private static final Map<String, byte[]> PTX = new ConcurrentHashMap<>();

    private final CUmod_st module = new CUmod_st();
    final CUfunc_st toInput = new CUfunc_st();
    final CUfunc_st toBytes = new CUfunc_st();

    FrameKernels(int computeMajor, int computeMinor) {
        byte[] ptx = PTX.computeIfAbsent("compute_" + computeMajor + computeMinor, FrameKernels::compile);
        try (BytePointer image = new BytePointer(ptx.length + 1)) {
            image.put(ptx).put(ptx.length, (byte) 0);
            CudaCalls.check(cuModuleLoadData(module, image), "loading the frame kernels");
        }
        CudaCalls.check(cuModuleGetFunction(toInput, module, TO_INPUT), "finding kernel " + TO_INPUT);
        CudaCalls.check(cuModuleGetFunction(toBytes, module, TO_BYTES), "finding kernel " + TO_BYTES);
    }

    static String source() {
        try (InputStream in = FrameKernels.class.getClassLoader().getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IvfuseException("this build lacks the GPU kernels' source " + SOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IvfuseException("cannot read " + SOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * PTX for {@code arch}. {@code --fmad=false}: no fused multiply-adds, so the output's rounding
     * arithmetic gives what Java's gives (FrameKernelsReference, ModelTranslator).
     */
    private static byte[] compile(String arch) {
        _nvrtcProgram program = new _nvrtcProgram();
        checkNvrtc(nvrtc.nvrtcCreateProgram(program, new BytePointer(source()), new BytePointer(SOURCE), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "creating the program", null);
        try {
            String[] options = {"--gpu-architecture=" + arch, "--fmad=false"};
            int status = nvrtc.nvrtcCompileProgram(program, options.length, new PointerPointer<>(options));
            checkNvrtc(status, "compiling " + SOURCE + " for " + arch, program);
            try (SizeTPointer size = new SizeTPointer(1)) {
                checkNvrtc(nvrtc.nvrtcGetPTXSize(program, size), "sizing the PTX", program);
                byte[] ptx = new byte[(int) size.get()];
                checkNvrtc(nvrtc.nvrtcGetPTX(program, ptx), "reading the PTX", program);
                int end = ptx.length > 0 && ptx[ptx.length - 1] == 0 ? ptx.length - 1 : ptx.length;
                return java.util.Arrays.copyOf(ptx, end);
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static void checkNvrtc(int status, String what, _nvrtcProgram program) {
        if (status == nvrtc.NVRTC_SUCCESS) {
            return;
        }
        String log = "";
        if (program != null) {
            try (SizeTPointer size = new SizeTPointer(1)) {
                if (nvrtc.nvrtcGetProgramLogSize(program, size) == nvrtc.NVRTC_SUCCESS && size.get() > 1) {
                    byte[] text = new byte[(int) size.get()];
                    nvrtc.nvrtcGetProgramLog(program, text);
                    log = ": " + new String(text, 0, text.length - 1, StandardCharsets.UTF_8).trim();
                }
            }
        }
        throw new IvfuseException("NVRTC failed " + what + " (" + nvrtc.nvrtcGetErrorString(status).getString() + ")" + log);
    }

    /** Launches {@code kernel} over {@code width} x {@code height} threads on {@code stream}. */
    static void launch(CUfunc_st kernel, int width, int height, CUstream_st stream, Args args, String what) {
        CudaCalls.check(cuLaunchKernel(kernel, (width + BLOCK - 1) / BLOCK, (height + BLOCK - 1) / BLOCK, 1, BLOCK, BLOCK, 1,
                0, stream, args.array, (PointerPointer<?>) null), what);
    }

    @Override
    public void close() {
        cuModuleUnload(module);
    }

    /** One launch's arguments, as cuLaunchKernel takes them: an array of pointers to the values. */
    static final class Args implements AutoCloseable {
        private final Pointer[] values;
        final PointerPointer<Pointer> array;

        /** Each argument a device {@link Pointer}, an {@link Integer} or a {@link Float}. */
        Args(Object... args) {
            values = new Pointer[args.length];
            array = new PointerPointer<>(args.length);
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                values[i] = a instanceof Pointer p ? new PointerPointer<>(1).put(0, p)
                        : a instanceof Integer n ? new IntPointer(1).put(n)
                        : a instanceof Float f ? new FloatPointer(1).put(f)
                        : null;
                if (values[i] == null) {
                    throw new IllegalArgumentException("kernel argument " + i + " is a " + a.getClass().getSimpleName());
                }
                array.put(i, values[i]);
            }
        }

        @Override
        public void close() {
            for (Pointer v : values) {
                v.close();
            }
            array.close();
        }
    }
}
