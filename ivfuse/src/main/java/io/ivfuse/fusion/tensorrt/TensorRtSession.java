package io.ivfuse.fusion.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;
import io.ivfuse.fusion.learned.ModelTranslator;
import io.ivfuse.model.ModelConvention;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One fusion thread's TensorRT session for one frame size, opened and closed on that thread: an
 * execution context, a CUDA stream, pinned host buffers for the 8-bit planes and device buffers for
 * the planes and the model's tensors, all made here. A frame crosses the bus once each way as bytes:
 * both inputs up in one copy, {@link FrameKernels} convert and pad them, TensorRT runs, a kernel
 * applies the translator's activation and rounding, the fused bytes come back in one copy.
 */
final class TensorRtSession implements FusionSession {
    private final ModelTranslator translator;
    private final IExecutionContext context;
    private final FrameKernels kernels;
    private final CUstream_st stream = new CUstream_st();
    private final List<Pointer> device = new ArrayList<>();
    private final BytePointer pinned = new BytePointer();
    private final ByteBuffer pinnedBytes;
    private final Pointer planes;
    private final Pointer fusedBytes;
    private final Pointer pinnedFused;
    private final FrameKernels.Args visibleArgs;
    private final FrameKernels.Args infraredArgs;
    private final FrameKernels.Args outputArgs;
    private final int frameBytes;
    private final byte[] row;
    private boolean closed;

    TensorRtSession(ICudaEngine engine, int deviceIndex, int computeMajor, int computeMinor, ModelConvention convention,
                    String outputName, int width, int height) {
        translator = new ModelTranslator(convention, width, height);
        frameBytes = width * height;
        row = new byte[width];
        CudaCalls.check(cudaSetDevice(deviceIndex), "selecting GPU " + deviceIndex);
        CudaCalls.check(cudaStreamCreateWithFlags(stream, cudaStreamNonBlocking), "creating a CUDA stream");
        IExecutionContext ctx = null;
        FrameKernels k = null;
        try {
            long tensorBytes = (long) translator.tensorElements() * Float.BYTES;
            String what = "allocating a " + width + "x" + height + " session";
            // Visible, infrared and fused bytes in one pinned block: one copy up, one copy down.
            CudaCalls.check(cudaMallocHost(pinned, 3L * frameBytes), what + " (pinned host memory)");
            pinned.capacity(3L * frameBytes);
            pinnedBytes = pinned.asByteBuffer();
            planes = deviceBuffer(3L * frameBytes, what);
            fusedBytes = new BytePointer(planes).position(2L * frameBytes);
            pinnedFused = new BytePointer(pinned).position(2L * frameBytes);
            Pointer lut = deviceBuffer(256L * Float.BYTES, what);
            Pointer visible = deviceBuffer(tensorBytes, what);
            Pointer infrared = deviceBuffer(tensorBytes, what);
            Pointer output = deviceBuffer(tensorBytes, what);
            uploadTable(lut);

            ctx = engine.createExecutionContext();
            if (ctx == null || ctx.isNull()) {
                throw new IvfuseException("tensorrt engine: cannot create an execution context for a " + width + "x" + height
                        + " session (GPU out of memory?)");
            }
            try (Dims64 shape = nchw(translator)) {
                for (String input : new String[] {convention.visibleInput(), convention.infraredInput()}) {
                    if (!ctx.setInputShape(input, shape)) {
                        throw new IvfuseException("tensorrt engine: input '" + input + "' refuses shape " + translator.paddedWidth()
                                + "x" + translator.paddedHeight() + " (outside the engine's profile)");
                    }
                }
            }
            bind(ctx, convention.visibleInput(), visible);
            bind(ctx, convention.infraredInput(), infrared);
            bind(ctx, outputName, output);
            k = new FrameKernels(computeMajor, computeMinor);
            int[] steps = FrameKernelsReference.stepCodes(convention);
            int pw = translator.paddedWidth();
            int ph = translator.paddedHeight();
            visibleArgs = new FrameKernels.Args(planes, width, height, width, lut, visible, pw, ph);
            infraredArgs = new FrameKernels.Args(new BytePointer(planes).position(frameBytes), width, height, width, lut, infrared,
                    pw, ph);
            outputArgs = new FrameKernels.Args(output, pw, width, height, fusedBytes, width, convention.rangeLow(),
                    convention.rangeHigh(), FrameKernelsReference.valueToUnit(convention), steps[0], steps[1], steps[2]);
        } catch (RuntimeException e) {
            if (k != null) {
                k.close();
            }
            if (ctx != null) {
                ctx.deallocate();
            }
            freeAll();
            throw e;
        }
        context = ctx;
        kernels = k;
    }

    static Dims64 nchw(ModelTranslator t) {
        Dims64 d = new Dims64();
        d.nbDims(4).d(0, 1).d(1, 1).d(2, t.paddedHeight()).d(3, t.paddedWidth());
        return d;
    }

    private BytePointer deviceBuffer(long bytes, String what) {
        BytePointer p = new BytePointer();
        CudaCalls.check(cudaMalloc(p, bytes), what + " (" + (bytes >> 10) + " KiB of GPU memory)");
        device.add(p);
        return p;
    }

    private void uploadTable(Pointer lut) {
        float[] table = FrameKernelsReference.inputTable(translator);
        try (org.bytedeco.javacpp.FloatPointer host = new org.bytedeco.javacpp.FloatPointer(table)) {
            CudaCalls.check(cudaMemcpyAsync(lut, host, 256L * Float.BYTES, cudaMemcpyHostToDevice, stream), "uploading the input table");
            CudaCalls.check(cudaStreamSynchronize(stream), "uploading the input table");
        }
    }

    private static void bind(IExecutionContext ctx, String tensor, Pointer buffer) {
        if (!ctx.setTensorAddress(tensor, buffer)) {
            throw new IvfuseException("tensorrt engine: tensor '" + tensor + "' is not in the engine");
        }
    }

    @Override
    public void fuse(Plane visibleY, Plane ir, Plane fused) {
        if (closed) {
            throw new IllegalStateException("tensorrt session is closed");
        }
        translator.checkPlanes(visibleY, ir, fused);
        pack(visibleY, 0);
        pack(ir, frameBytes);
        int w = translator.width();
        int h = translator.height();
        CudaCalls.check(cudaMemcpyAsync(planes, pinned, 2L * frameBytes, cudaMemcpyHostToDevice, stream), "copying a frame to the GPU");
        FrameKernels.launch(kernels.toInput, translator.paddedWidth(), translator.paddedHeight(), stream, visibleArgs,
                "converting the visible plane");
        FrameKernels.launch(kernels.toInput, translator.paddedWidth(), translator.paddedHeight(), stream, infraredArgs,
                "converting the infrared plane");
        if (!context.enqueueV3(stream)) {
            throw new IvfuseException("tensorrt engine: the network failed on a " + w + "x" + h + " frame");
        }
        FrameKernels.launch(kernels.toBytes, w, h, stream, outputArgs, "converting the output");
        CudaCalls.check(cudaMemcpyAsync(pinnedFused, fusedBytes, frameBytes,
                cudaMemcpyDeviceToHost, stream), "copying the fused frame back");
        CudaCalls.check(cudaStreamSynchronize(stream), "fusing a " + w + "x" + h + " frame");
        unpack(fused, 2 * frameBytes);
    }

    /** Copies a plane's rows (any stride) into the pinned block at {@code offset}, packed. */
    private void pack(Plane plane, int offset) {
        ByteBuffer src = plane.data();
        int w = translator.width();
        for (int y = 0; y < translator.height(); y++) {
            src.get(y * plane.stride(), row, 0, w);
            pinnedBytes.put(offset + y * w, row, 0, w);
        }
    }

    private void unpack(Plane plane, int offset) {
        ByteBuffer dst = plane.data();
        int w = translator.width();
        for (int y = 0; y < translator.height(); y++) {
            pinnedBytes.get(offset + y * w, row, 0, w);
            dst.put(y * plane.stride(), row, 0, w);
        }
    }

    private void freeAll() {
        for (Pointer p : device) {
            cudaFree(p);
        }
        device.clear();
        if (!pinned.isNull()) {
            cudaFreeHost(pinned);
        }
        if (!stream.isNull()) {
            cudaStreamDestroy(stream);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        visibleArgs.close();
        infraredArgs.close();
        outputArgs.close();
        kernels.close();
        context.deallocate();
        freeAll();
    }
}
