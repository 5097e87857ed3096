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
import static org.bytedeco.opencv.global.opencv_imgproc.accumulate;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateProduct;
import static org.bytedeco.opencv.global.opencv_imgproc.boxFilter;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.YuvPlanes;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@code mef-lut} for one frame size; every Mat is made when the session opens. Two layers, as
 * pyramid fusion does in one step per level, so local contrast survives the blend:
 * <ol>
 * <li>low resolution, each exposure k: Y_k is area-downscaled (L_k); its weight is
 *     {@link #wellExposedness}(L) x {@link #contrast}(|Laplacian L|), both read from tables, and
 *     the weights are normalised across exposures (p_k = w_k / sum w);</li>
 * <li>base: sum_k box(p_k) L_k, bilinearly upsampled;</li>
 * <li>detail: each exposure's Y_k - up(L_k), weighted by p_k brought to full resolution with a
 *     fast guided filter guided by the exposure (a = cov(L, p) / (var L + eps),
 *     b = mean p - a mean L, box-averaged, upsampled, then a Y_k + b), so the weight follows the
 *     exposure's own edges;</li>
 * <li>fused Y = base + sum of the weighted details, rounded and saturated;</li>
 * <li>chroma by |C - 128| ({@link ChromaBlend}).</li>
 * </ol>
 * Full resolution costs eight OpenCV passes per exposure and two more. The guided filter is
 * composed of OpenCV box filters rather than ximgproc's {@code guidedFilter}, which filters at one
 * resolution and does not give the coefficients this low-to-full-resolution scheme upsamples.
 */
final class LutWeightSession extends ExposureSession {
    /** Mertens' well-exposedness: a Gaussian around mid-grey, sigma 0.2 of the range. */
    static final double WELL_EXPOSED_SIGMA = 0.2;
    /** Floor of the contrast term, so flat areas are weighted by exposure alone. */
    static final double CONTRAST_FLOOR = 0.01;
    /** The guided filter's regulariser, for intensities in [0, 1]. */
    static final double GUIDED_EPS = 1e-3;
    /** Keeps the weight sum positive where every weight is 0. */
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
    private final Mat fullLow;
    private final Mat detail;
    private final Mat fused32;
    private final Mat lowBase;
    private final Scalar lowSumStart = new Scalar(WEIGHT_EPS);
    private final Scalar zero = new Scalar(0.0);
    private final ChromaBlend chroma;

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
        fullLow = new Mat(height, width, CV_32F);
        detail = new Mat(height, width, CV_32F);
        fused32 = new Mat(height, width, CV_32F);
        lowBase = low(lw, lh);
        chroma = new ChromaBlend(chromaWidth, chromaHeight);
    }

    private static Mat low(int w, int h) {
        return new Mat(h, w, CV_32F);
    }

    /** Weight of an intensity v in [0, 255] for being well exposed. */
    static double wellExposedness(int v) {
        double d = v / 255.0 - 0.5;
        return Math.exp(-d * d / (2 * WELL_EXPOSED_SIGMA * WELL_EXPOSED_SIGMA));
    }

    /**
     * Weight of a local contrast |Laplacian| in [0, 255]: squared, so the exposure that shows an
     * edge clearly wins its detail (linear contrast blurred the detail of the two; see
     * benchmarks/mef-engines.md).
     */
    static double contrast(int c) {
        double v = c / 255.0 + CONTRAST_FLOOR;
        return v * v;
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
        // base: the low-resolution exposures blended with box-smoothed weights (which still sum to 1)
        lowBase.put(zero);
        for (int k = 0; k < exposures; k++) {
            divide(weight[k], weightSum, weight[k]);
            boxFilter(weight[k], product, -1, box);
            accumulateProduct(product, guide[k], lowBase);
        }
        resize(lowBase, fused32, fullSize, 0, 0, INTER_LINEAR);
        // detail: what each exposure has above the low resolution, by its guided-filtered weight
        for (int k = 0; k < exposures; k++) {
            views.of(frames[k].y()).convertTo(fullY, CV_32F, 1 / 255.0, 0);
            resize(guide[k], fullLow, fullSize, 0, 0, INTER_LINEAR);
            subtract(fullY, fullLow, detail);
            guidedCoefficients(guide[k], weight[k]);
            resize(meanA, fullA, fullSize, 0, 0, INTER_LINEAR);
            resize(meanB, fullB, fullSize, 0, 0, INTER_LINEAR);
            multiply(fullA, fullY, fullWeight);
            add(fullWeight, fullB, fullWeight);
            accumulateProduct(fullWeight, detail, fused32);
        }
        fused32.convertTo(views.of(fused.y()), CV_8U, 255.0, 0);
        blendChroma(chroma, frames, fused);
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

    @Override
    protected void release() {
        closeAll(lowY);
        closeAll(guide);
        closeAll(weight);
        closeAll(laplacian, absLaplacian, contrastWeight, weightSum, meanI, meanP, product, corrIp, corrII, a, b,
                meanA, meanB, fullA, fullB, fullY, fullWeight, fullLow, detail, fused32, lowBase,
                wellLut, contrastLut, lowSumStart, zero, chroma, lowSize, fullSize, box);
    }
}
