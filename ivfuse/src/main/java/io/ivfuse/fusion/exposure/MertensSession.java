package io.ivfuse.fusion.exposure;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.mixChannels;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YCrCb2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.ivfuse.frame.YuvPlanes;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_photo.MergeMertens;

/**
 * Mertens fusion of one frame size: each exposure goes to BGR (its chroma upsampled first when
 * 4:2:0), MergeMertens(1, 1, 1) fuses them into float BGR of about [0, 1], which is scaled by 255,
 * rounded and saturated to 8 bits and goes back to YCrCb (chroma downsampled by area when 4:2:0).
 * Conversion Mats are made once; MergeMertens allocates its pyramids inside OpenCV per call.
 */
final class MertensSession extends ExposureSession {
    private final MergeMertens merge = opencv_photo.createMergeMertens(1, 1, 1);
    private final Size fullSize;
    private final Size chromaSize;
    /** Per exposure: chroma at full size (4:2:0 only), the YCrCb picture and its BGR. */
    private final Mat[] cbUp;
    private final Mat[] crUp;
    private final Mat[] ycrcb;
    private final MatVector bgr;
    private final Mat[] bgrMats;
    private final Mat fusedFloat = new Mat();
    private final Mat fusedBgr;
    private final Mat fusedYcrcb;
    private final Mat fusedCb;
    private final Mat fusedCr;
    private final MatVector channels = new MatVector(3);
    /** mixChannels, not split, fills the fused planes: split would reallocate a strided (non-continuous) plane's view. */
    private final MatVector fusedPicture = new MatVector(1);
    private final IntPointer sameChannels = new IntPointer(0, 0, 1, 1, 2, 2);

    MertensSession(int width, int height, int exposures, boolean subsampledChroma) {
        super(width, height, exposures, subsampledChroma);
        fullSize = new Size(width, height);
        chromaSize = new Size(chromaWidth, chromaHeight);
        cbUp = new Mat[exposures];
        crUp = new Mat[exposures];
        ycrcb = new Mat[exposures];
        bgrMats = new Mat[exposures];
        bgr = new MatVector(exposures);
        for (int k = 0; k < exposures; k++) {
            if (subsampledChroma) {
                cbUp[k] = new Mat(height, width, CV_8U);
                crUp[k] = new Mat(height, width, CV_8U);
            }
            ycrcb[k] = new Mat(height, width, CV_8UC3);
            bgrMats[k] = new Mat(height, width, CV_8UC3);
            bgr.put(k, bgrMats[k]);
        }
        fusedBgr = new Mat(height, width, CV_8UC3);
        fusedYcrcb = new Mat(height, width, CV_8UC3);
        fusedPicture.put(0, fusedYcrcb);
        fusedCb = subsampledChroma ? new Mat(height, width, CV_8U) : null;
        fusedCr = subsampledChroma ? new Mat(height, width, CV_8U) : null;
    }

    @Override
    protected void fuseChecked(YuvPlanes[] frames, YuvPlanes fused) {
        for (int k = 0; k < exposures; k++) {
            Mat cb = views.of(frames[k].cb());
            Mat cr = views.of(frames[k].cr());
            if (subsampledChroma) {
                resize(cb, cbUp[k], fullSize, 0, 0, INTER_LINEAR);
                resize(cr, crUp[k], fullSize, 0, 0, INTER_LINEAR);
                cb = cbUp[k];
                cr = crUp[k];
            }
            channels.put(0, views.of(frames[k].y()));
            channels.put(1, cr);
            channels.put(2, cb);
            merge(channels, ycrcb[k]);
            cvtColor(ycrcb[k], bgrMats[k], COLOR_YCrCb2BGR);
        }
        merge.process(bgr, fusedFloat);
        fusedFloat.convertTo(fusedBgr, CV_8U, 255.0, 0.0);
        cvtColor(fusedBgr, fusedYcrcb, COLOR_BGR2YCrCb);
        Mat cr = subsampledChroma ? fusedCr : views.of(fused.cr());
        Mat cb = subsampledChroma ? fusedCb : views.of(fused.cb());
        channels.put(0, views.of(fused.y()));
        channels.put(1, cr);
        channels.put(2, cb);
        mixChannels(fusedPicture, channels, sameChannels, 3);
        if (subsampledChroma) {
            resize(fusedCb, views.of(fused.cb()), chromaSize, 0, 0, INTER_AREA);
            resize(fusedCr, views.of(fused.cr()), chromaSize, 0, 0, INTER_AREA);
        }
    }

    @Override
    protected void release() {
        closeAll(cbUp);
        closeAll(crUp);
        closeAll(ycrcb);
        closeAll(bgrMats);
        closeAll(bgr, fusedFloat, fusedBgr, fusedYcrcb, fusedCb, fusedCr, channels, fusedPicture, sameChannels, fullSize, chromaSize, merge);
    }
}
