package io.ivfuse.fusion.exposure;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulate;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateProduct;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Chroma of exposure fusion by saturation weighting (DeepFuse, as HSDS-MEF's code does):
 * C = sum_k C_k |C_k - 128| / sum_k |C_k - 128|, so the most coloured exposure dominates each
 * pixel and a pixel colourless in every exposure stays 128. A tiny weight {@link #EPSILON} on 128
 * keeps the quotient defined there. One chroma plane size; scratch Mats made once.
 */
public final class ChromaBlend implements AutoCloseable {
    private static final double EPSILON = 1e-3;

    private final Mat chroma;
    private final Mat saturation;
    private final Mat neutral;
    private final Mat numerator;
    private final Mat denominator;
    private final Scalar numeratorStart = new Scalar(128 * EPSILON);
    private final Scalar denominatorStart = new Scalar(EPSILON);

    public ChromaBlend(int width, int height) {
        chroma = new Mat(height, width, CV_32F);
        saturation = new Mat(height, width, CV_32F);
        numerator = new Mat(height, width, CV_32F);
        denominator = new Mat(height, width, CV_32F);
        try (Scalar grey = new Scalar(128)) {
            neutral = new Mat(height, width, CV_32F, grey);
        }
    }

    /** Blends one chroma channel of every exposure (8-bit) into {@code fused} (8-bit, rounded). */
    public void blend(Mat[] channels, Mat fused) {
        numerator.put(numeratorStart);
        denominator.put(denominatorStart);
        for (Mat c : channels) {
            c.convertTo(chroma, CV_32F);
            absdiff(chroma, neutral, saturation);
            accumulateProduct(chroma, saturation, numerator);
            accumulate(saturation, denominator);
        }
        divide(numerator, denominator, fused, 1.0, CV_8U);
    }

    @Override
    public void close() {
        ExposureSession.closeAll(chroma, saturation, neutral, numerator, denominator, numeratorStart, denominatorStart);
    }
}
