package io.ivfuse.fusion.exposure;

import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulate;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateProduct;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.ivfuse.frame.YuvPlanes;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@code mef-lut} for one frame size; every Mat is made when the session opens. Per frame:
 * <ol>
 * <li>low resolution, each exposure k: Y_k is area-downscaled; its weight is
 *     {@link #wellExposedness}(Y) x {@link #contrast}(|Laplacian Y|), both read from tables;</li>
 * <li>the weights are normalised across exposures (p_k = w_k / sum w);</li>
 * <li>fast guided filter of p_k guided by Y_k: a = cov(Y, p) / (var Y + eps), b = mean p - a mean Y,
 *     both box-averaged, then bilinearly upsampled;</li>
 * <li>full resolution: W_k = max(a Y_k + b, 0) and Y = sum W_k Y_k / sum W_k, rounded;</li>
 * <li>chroma by |C - 128| ({@link ChromaBlend}).</li>
 * </ol>
 */
final class LutWeightSession extends ExposureSession {
    /** Mertens' well-exposedness: a Gaussian around mid-grey, sigma 0.2 of the range. */
    static final double WELL_EXPOSED_SIGMA = 0.2;
    /** Floor of the contrast term, so flat areas are weighted by exposure alone. */
    static final double CONTRAST_FLOOR = 1.0 / 32;
    /** The guided filter's regulariser, for intensities in [0, 1]. */
    static final double GUIDED_EPS = 1e-3;
    /** Keeps the weight sums positive where every weight is 0 (mid-grey stands in there). */
    private static final double WEIGHT_EPS = 1e-6;

    private final Size lowSize;
    private final Size fullSize;
    private final Size box;
    private final Mat wellLut = table(LutWeightSession::wellExposedness);
    private final Mat contrastLut = table(LutWeightSession::contrast);
    // low resolution, per exposure
    private final Mat[] lowY;
    private final Mat[] guide;
    private final Mat[] weight;
    // low resolution, shared
    private final Mat laplacian;
    private final Mat absLaplacian;
    private final Mat contrastWeight;
    private final Mat weightSum;
    private final Mat meanI;
    private final Mat meanP;
    private final Mat product;
    private final Mat corrIp;
    private final Mat corrII;
    private final Mat a;
    private final Mat b;
    private final Mat meanA;
    private final Mat meanB;
    // full resolution, shared
    private final Mat fullA;
    private final Mat fullB;
    private final Mat fullY;
    private final Mat fullWeight;
    private final Mat numerator;
    private final Mat denominator;
    private final Scalar lowSumStart = new Scalar(WEIGHT_EPS);
    private final Scalar numeratorStart = new Scalar(0.5 * WEIGHT_EPS);
    private final Scalar denominatorStart = new Scalar(WEIGHT_EPS);
    private final ChromaBlend chroma;
    private final Mat[] cb;
    private final Mat[] cr;

    LutWeightSession(int width, int height, int exposures, boolean subsampledChroma, int scale, int radius) {
        super(width, height, exposures, subsampledChroma);
        int lw = Math.max(1, Math.round((float) width / scale));
        int lh = Math.max(1, Math.round((float) height / scale));
        lowSize = new Size(lw, lh);
        fullSize = new Size(width, height);
        box = new Size(2 * radius + 1, 2 * radius + 1);
        lowY = new Mat[exposures];
        guide = new Mat[exposures];
        weight = new Mat[exposures];
        for (int k = 0; k < exposures; k++) {
            lowY[k] = new Mat(lh, lw, CV_8U);
            guide[k] = new Mat(lh, lw, CV_32F);
            weight[k] = new Mat(lh, lw, CV_32F);
        }
        laplacian = new Mat(lh, lw, CV_16S);
        absLaplacian = new Mat(lh, lw, CV_8U);
        contrastWeight = low(lw, lh);
        weightSum = low(lw, lh);
        meanI = low(lw, lh);
        meanP = low(lw, lh);
        product = low(lw, lh);
        corrIp = low(lw, lh);
        corrII = low(lw, lh);
        a = low(lw, lh);
        b = low(lw, lh);
        meanA = low(lw, lh);
        meanB = low(lw, lh);
        fullA = new Mat(height, width, CV_32F);
        fullB = new Mat(height, width, CV_32F);
        fullY = new Mat(height, width, CV_32F);
        fullWeight = new Mat(height, width, CV_32F);
        numerator = new Mat(height, width, CV_32F);
        denominator = new Mat(height, width, CV_32F);
        chroma = new ChromaBlend(chromaWidth, chromaHeight);
        cb = new Mat[exposures];
        cr = new Mat[exposures];
    }

    private static Mat low(int w, int h) {
        return new Mat(h, w, CV_32F);
    }

    /** Weight of an intensity v in [0, 255] for being well exposed. */
    static double wellExposedness(int v) {
        double d = v / 255.0 - 0.5;
        return Math.exp(-d * d / (2 * WELL_EXPOSED_SIGMA * WELL_EXPOSED_SIGMA));
    }

    /** Weight of a local contrast |Laplacian| in [0, 255]. */
    static double contrast(int c) {
        return c / 255.0 + CONTRAST_FLOOR;
    }

    private static Mat table(java.util.function.IntToDoubleFunction f) {
        Mat lut = new Mat(1, 256, CV_32F);
        FloatBuffer values = lut.createBuffer();
        for (int v = 0; v < 256; v++) {
            values.put(v, (float) f.applyAsDouble(v));
        }
        return lut;
    }

    @Override
    protected void fuseChecked(YuvPlanes[] frames, YuvPlanes fused) {
        weightSum.put(lowSumStart);
        for (int k = 0; k < exposures; k++) {
            resize(views.of(frames[k].y()), lowY[k], lowSize, 0, 0, INTER_AREA);
            LUT(lowY[k], wellLut, weight[k]);
            Laplacian(lowY[k], laplacian, CV_16S);
            convertScaleAbs(laplacian, absLaplacian);
            LUT(absLaplacian, contrastLut, contrastWeight);
            multiply(weight[k], contrastWeight, weight[k]);
            accumulate(weight[k], weightSum);
            lowY[k].convertTo(guide[k], CV_32F, 1 / 255.0, 0);
        }
        numerator.put(numeratorStart);
        denominator.put(denominatorStart);
        for (int k = 0; k < exposures; k++) {
            divide(weight[k], weightSum, weight[k]);
            guidedCoefficients(guide[k], weight[k]);
            resize(meanA, fullA, fullSize, 0, 0, INTER_LINEAR);
            resize(meanB, fullB, fullSize, 0, 0, INTER_LINEAR);
            views.of(frames[k].y()).convertTo(fullY, CV_32F, 1 / 255.0, 0);
            multiply(fullA, fullY, fullWeight);
            add(fullWeight, fullB, fullWeight);
            threshold(fullWeight, fullWeight, 0, 0, THRESH_TOZERO);
            accumulate(fullWeight, denominator);
            accumulateProduct(fullWeight, fullY, numerator);
        }
        divide(numerator, denominator, views.of(fused.y()), 255.0, CV_8U);
        blendChroma(frames, fused);
    }

    /** Leaves the box-averaged guided filter coefficients of {@code p} guided by {@code i} in meanA, meanB. */
    private void guidedCoefficients(Mat i, Mat p) {
        boxFilter(i, meanI, -1, box);
        boxFilter(p, meanP, -1, box);
        multiply(i, p, product);
        boxFilter(product, corrIp, -1, box);
        multiply(i, i, product);
        boxFilter(product, corrII, -1, box);
        // a = (corrIp - meanI meanP) / (corrII - meanI^2 + eps); b = meanP - a meanI
        multiply(meanI, meanP, product);
        subtract(corrIp, product, a);
        multiply(meanI, meanI, product);
        subtract(corrII, product, b);
        b.convertTo(b, -1, 1, GUIDED_EPS);
        divide(a, b, a);
        multiply(a, meanI, product);
        subtract(meanP, product, b);
        boxFilter(a, meanA, -1, box);
        boxFilter(b, meanB, -1, box);
    }

    private void blendChroma(YuvPlanes[] frames, YuvPlanes fused) {
        for (int k = 0; k < exposures; k++) {
            cb[k] = views.of(frames[k].cb());
            cr[k] = views.of(frames[k].cr());
        }
        chroma.blend(cb, views.of(fused.cb()));
        chroma.blend(cr, views.of(fused.cr()));
    }

    @Override
    protected void release() {
        closeAll(lowY);
        closeAll(guide);
        closeAll(weight);
        closeAll(laplacian, absLaplacian, contrastWeight, weightSum, meanI, meanP, product, corrIp, corrII, a, b,
                meanA, meanB, fullA, fullB, fullY, fullWeight, numerator, denominator, wellLut, contrastLut,
                lowSumStart, numeratorStart, denominatorStart, chroma, lowSize, fullSize, box);
    }
}
