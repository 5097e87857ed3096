package io.ivfuse.fusion.video;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Ghost suppression before fusion, for every engine: where the two exposures of a pair disagree
 * after intensity mapping ({@link MotionMask}), the other exposure is replaced by the reference
 * mapped to the other's brightness (its intensity mapping function), chroma by the reference's, so
 * the engine fuses there two exposures of the reference's content: a moving object appears once,
 * where the reference shows it, with the tone the engine gives a still scene. This is the latent
 * exposure of Hu, Gallo, Pulli and Sun (HDR deghosting: how to deal with saturation?, CVPR 2013)
 * taken from the IMF alone: it moves the weight of moving pixels to the reference without reaching
 * into an engine (MergeMertens and a network keep their weights to themselves). The mask is soft,
 * so the synthesised exposure blends into the real one at its edges.
 *
 * <p>One frame size and chroma layout; buffers made once, and a frame without motion costs the
 * low-resolution test alone. Stateless across frames, so each fusion thread may have its own.
 */
public final class GhostSuppressor extends ExposurePairStage {
    private final Size fullSize;
    private final Size chromaSize;
    private final Mat fullMask;
    private final Mat fullKeep;
    private final Mat chromaMask;
    private final Mat chromaKeep;
    private final YuvPlanes synthesized;
    /** Darkest first, with the synthesised exposure in place of the other: for reference 0 and 1. */
    private final YuvPlanes[][] pairs = new YuvPlanes[2][2];

    public GhostSuppressor(int width, int height, boolean subsampledChroma, int threshold) {
        super(width, height, threshold);
        fullSize = new Size(width, height);
        int cw = YuvPlanes.chromaSide(width, subsampledChroma);
        int ch = YuvPlanes.chromaSide(height, subsampledChroma);
        chromaSize = new Size(cw, ch);
        fullMask = new Mat(height, width, CV_32F);
        fullKeep = new Mat(height, width, CV_32F);
        chromaMask = new Mat(ch, cw, CV_32F);
        chromaKeep = new Mat(ch, cw, CV_32F);
        synthesized = YuvPlanes.allocate(width, height, subsampledChroma);
    }

    /**
     * The exposures to fuse: {@code exposures} (under, over) themselves when nothing moved, else the
     * reference with the synthesised other exposure (planes of this object, valid until the next call).
     *
     * @param reference the index of the exposure whose content moving regions show
     */
    public YuvPlanes[] suppress(YuvPlanes[] exposures, int reference) {
        if (!look(exposures, reference)) {
            return exposures;
        }
        YuvPlanes ref = exposures[reference];
        YuvPlanes other = exposures[1 - reference];
        resize(motion.soft(), fullMask, fullSize, 0, 0, INTER_LINEAR);
        blend(referenceAsOther, views.of(other.y()), fullMask, fullKeep, synthesized.y());
        resize(motion.soft(), chromaMask, chromaSize, 0, 0, INTER_LINEAR);
        blend(views.of(ref.cb()), views.of(other.cb()), chromaMask, chromaKeep, synthesized.cb());
        blend(views.of(ref.cr()), views.of(other.cr()), chromaMask, chromaKeep, synthesized.cr());
        YuvPlanes[] pair = pairs[reference];
        pair[reference] = ref;
        pair[1 - reference] = synthesized;
        return pair;
    }

    /** into = mask a + (1 - mask) b, per pixel. */
    private void blend(Mat a, Mat b, Mat mask, Mat keep, Plane into) {
        mask.convertTo(keep, CV_32F, -1, 1);
        blendLinear(a, b, mask, keep, views.of(into));
    }

    @Override
    protected void release() {
        Closing.close(fullSize, chromaSize, fullMask, fullKeep, chromaMask, chromaKeep);
    }
}
