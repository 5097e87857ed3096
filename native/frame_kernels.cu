// ivfuse frame kernels: 8-bit planes to a fusion model's float input and its output back to 8 bits,
// so a frame crosses the bus once each way as bytes. Compiled at run time by NVRTC
// (io.ivfuse.fusion.tensorrt.FrameKernels) with --fmad=false, so the float arithmetic rounds as
// Java's does. io.ivfuse.fusion.tensorrt.FrameKernelsReference is this file's CPU transcription;
// tests compare both with fusion.learned.ModelTranslator. Keep the three in step.

// Activation steps, as ModelTranslator applies them (0 ends the list).
#define IVF_ACT_NONE 0
#define IVF_ACT_TANH 1
#define IVF_ACT_SIGMOID 2
#define IVF_ACT_CLAMP 3

// Source index of padded index i over a line of size values: PyTorch's "reflect", bottom/right
// (fusion.learned.ReflectionPadding.indexMap).
__device__ int ivf_reflect(int i, int size) {
    if (size == 1) {
        return 0;
    }
    int period = 2 * (size - 1);
    int r = i % period;
    return r < size ? r : period - r;
}

__device__ float ivf_activate(float v, int step, float low, float high) {
    switch (step) {
        case IVF_ACT_TANH: return (float) tanh((double) v);
        case IVF_ACT_SIGMOID: return (float) (1.0 / (1.0 + exp(-(double) v)));
        case IVF_ACT_CLAMP: return fmaxf(low, fminf(high, v));
        default: return v;
    }
}

// One thread per padded output element. lut[b] is ModelTranslator.inputValue(b), uploaded once,
// so the byte-to-value mapping is the translator's bit for bit.
extern "C" __global__ void ivf_bytes_to_input(const unsigned char* src, int width, int height, int srcStride,
                                              const float* lut, float* dst, int paddedWidth, int paddedHeight) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= paddedWidth || y >= paddedHeight) {
        return;
    }
    int sx = ivf_reflect(x, width);
    int sy = ivf_reflect(y, height);
    dst[y * paddedWidth + x] = lut[src[sy * srcStride + sx]];
}

// One thread per frame sample: crop, activation steps, rounding to 8 bits with saturation
// (ModelTranslator.outputByte).
extern "C" __global__ void ivf_output_to_bytes(const float* src, int paddedWidth, int width, int height,
                                               unsigned char* dst, int dstStride, float low, float high,
                                               float valueToUnit, int step0, int step1, int step2) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= width || y >= height) {
        return;
    }
    float v = src[y * paddedWidth + x];
    v = ivf_activate(v, step0, low, high);
    v = ivf_activate(v, step1, low, high);
    v = ivf_activate(v, step2, low, high);
    int q = (int) ((v - low) * valueToUnit * 255.0f + 0.5f);
    dst[y * dstStride + x] = (unsigned char) (q < 0 ? 0 : (q > 255 ? 255 : q));
}
