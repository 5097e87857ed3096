package io.ivfuse.quality.metric;

import java.nio.DoubleBuffer;
import java.util.function.DoubleBinaryOperator;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** The linear algebra the metrics take from OpenCV: frequency-domain filtering and symmetric eigenvalues. */
final class Spectral {

    private Spectral() {
    }

    /**
     * The real part of ifft2(fft2(img) .* H), H given on MATLAB's {@code freqspace} grid: the response
     * at the normalised frequencies (u, v), u = (k - floor(W/2)) 2/W after fftshift, the same for v.
     * H(u, v) here only ever depends on |u| and |v|, so the product is Hermitian and the result real.
     */
    static double[] filter(double[] img, int w, int h, DoubleBinaryOperator response) {
        try (Mat in = new Mat(h, w, opencv_core.CV_64F); Mat spectrum = new Mat(); Mat out = new Mat()) {
            ((DoubleBuffer) in.createBuffer()).put(img);
            opencv_core.dft(in, spectrum, opencv_core.DFT_COMPLEX_OUTPUT, 0);
            DoubleBuffer s = spectrum.createBuffer();
            for (int y = 0; y < h; y++) {
                double v = signedFrequency(y, h);
                for (int x = 0; x < w; x++) {
                    double g = response.applyAsDouble(signedFrequency(x, w), v);
                    int i = 2 * (y * w + x);
                    s.put(i, s.get(i) * g);
                    s.put(i + 1, s.get(i + 1) * g);
                }
            }
            opencv_core.idft(spectrum, out, opencv_core.DFT_SCALE | opencv_core.DFT_REAL_OUTPUT, 0);
            double[] result = new double[w * h];
            ((DoubleBuffer) out.createBuffer()).get(result);
            return result;
        }
    }

    /** The freqspace frequency of unshifted FFT index k of n: k, or k - n past the middle, times 2/n. */
    private static double signedFrequency(int k, int n) {
        return (k < (n + 1) / 2 ? k : k - n) * 2.0 / n;
    }

    /** The eigenvalues of a symmetric n x n matrix given row-major. */
    static double[] symmetricEigenvalues(double[] matrix, int n) {
        try (Mat m = new Mat(n, n, opencv_core.CV_64F); Mat values = new Mat()) {
            ((DoubleBuffer) m.createBuffer()).put(matrix);
            opencv_core.eigen(m, values);
            double[] out = new double[n];
            ((DoubleBuffer) values.createBuffer()).get(out);
            return out;
        }
    }
}
