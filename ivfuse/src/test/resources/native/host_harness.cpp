// Runs native/frame_kernels.cu on the CPU: the CUDA built-ins the kernels use, defined for the host
// compiler, and a loop over the grid. FrameKernelsHostTest compiles it with g++ (-I native) and
// compares the kernels' output with FrameKernelsReference and ModelTranslator.
//   host_harness in  W H SRC_STRIDE PW PH       < bytes (SRC_STRIDE*H), lut (256 floats)  > floats (PW*PH)
//   host_harness out PW W H DST_STRIDE LOW HIGH VTU S0 S1 S2   < floats (PW*H)        > bytes (DST_STRIDE*H)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

struct HostDim { int x, y, z; };
static HostDim blockIdx, threadIdx, blockDim = {16, 16, 1};
#define __global__
#define __device__

#include "frame_kernels.cu"

template <typename F> static void grid(int w, int h, F kernel) {
    for (blockIdx.y = 0; blockIdx.y < (h + 15) / 16; blockIdx.y++)
        for (blockIdx.x = 0; blockIdx.x < (w + 15) / 16; blockIdx.x++)
            for (threadIdx.y = 0; threadIdx.y < 16; threadIdx.y++)
                for (threadIdx.x = 0; threadIdx.x < 16; threadIdx.x++)
                    kernel();
}

int main(int argc, char** argv) {
    if (argc > 1 && !strcmp(argv[1], "in") && argc == 7) {
        int w = atoi(argv[2]), h = atoi(argv[3]), s = atoi(argv[4]), pw = atoi(argv[5]), ph = atoi(argv[6]);
        std::vector<unsigned char> src((size_t) s * h);
        std::vector<float> lut(256), dst((size_t) pw * ph);
        if (fread(src.data(), 1, src.size(), stdin) != src.size() || fread(lut.data(), 4, 256, stdin) != 256) return 2;
        grid(pw, ph, [&] { ivf_bytes_to_input(src.data(), w, h, s, lut.data(), dst.data(), pw, ph); });
        fwrite(dst.data(), 4, dst.size(), stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "out") && argc == 12) {
        int pw = atoi(argv[2]), w = atoi(argv[3]), h = atoi(argv[4]), ds = atoi(argv[5]);
        float lo = strtof(argv[6], 0), hi = strtof(argv[7], 0), vtu = strtof(argv[8], 0);
        int s0 = atoi(argv[9]), s1 = atoi(argv[10]), s2 = atoi(argv[11]);
        std::vector<float> src((size_t) pw * h);
        std::vector<unsigned char> dst((size_t) ds * h);
        if (fread(src.data(), 4, src.size(), stdin) != src.size()) return 2;
        grid(w, h, [&] { ivf_output_to_bytes(src.data(), pw, w, h, dst.data(), ds, lo, hi, vtu, s0, s1, s2); });
        fwrite(dst.data(), 1, dst.size(), stdout);
        return 0;
    }
    fprintf(stderr, "usage: host_harness in|out ...\n");
    return 1;
}
