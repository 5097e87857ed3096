package io.ivfuse.fusion.classical;

import static org.bytedeco.opencv.global.opencv_core.CMP_GT;
import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.blur;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrDown;
import static org.bytedeco.opencv.global.opencv_imgproc.pyrUp;

import io.ivfuse.frame.Plane;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Laplacian-pyramid fusion of one frame size. All pyramid levels are 16-bit signed Mats made when
 * the session opens; per frame only OpenCV calls on them run, in place where possible:
 * <ol>
 * <li>both planes become Gaussian pyramids G0..Gn-1 ({@code pyrDown});</li>
 * <li>each Gk (k &lt; n-1) becomes its Laplacian Lk = Gk - pyrUp(Gk+1), still in the same Mat;</li>
 * <li>detail levels: where the infrared activity (box-filtered |Lk|) is strictly larger, the
 *     infrared coefficient replaces the visible one; the coarsest level is the average;</li>
 * <li>the fused pyramid collapses upwards (Gk = Lk + pyrUp(Gk+1)) and is saturated to 8 bits.</li>
 * </ol>
 * With 8-bit inputs every Lk lies in [-255, 255], so |Lk| fits an 8-bit Mat exactly, and the
 * collapse reproduces the input exactly when both inputs are equal.
 */
final class LaplacianPyramidSession extends ClassicalSession {
    /** The coarsest level keeps at least this many pixels on its shorter side. */
    static final int MIN_COARSEST_SIDE = 4;

    private final int levels;
    private final Size[] sizes;
    private final Size window;
    private final Mat[] visible;
    private final Mat[] infrared;
    /** pyrUp of the next-coarser level, at the size of level k (k &lt; levels - 1). */
    private final Mat[] upsampled;
    /** Full-size 8-bit scratch planes; each detail level works in their top-left corner. */
    private final Mat[] scratchPlanes = new Mat[5];
    private final DetailScratch[] details;

    LaplacianPyramidSession(int width, int height, int requestedLevels, int window) {
        super(width, height);
        List<int[]> dims = levelSizes(width, height, requestedLevels);
        levels = dims.size();
        sizes = new Size[levels];
        visible = new Mat[levels];
        infrared = new Mat[levels];
        upsampled = new Mat[levels];
        for (int k = 0; k < levels; k++) {
            int w = dims.get(k)[0];
            int h = dims.get(k)[1];
            sizes[k] = new Size(w, h);
            visible[k] = new Mat(h, w, CV_16S);
            infrared[k] = new Mat(h, w, CV_16S);
            upsampled[k] = k < levels - 1 ? new Mat(h, w, CV_16S) : null;
        }
        this.window = window > 1 ? new Size(window, window) : null;
        for (int i = 0; i < scratchPlanes.length; i++) {
            scratchPlanes[i] = new Mat(height, width, CV_8U);
        }
        details = new DetailScratch[levels - 1];
        for (int k = 0; k < levels - 1; k++) {
            details[k] = new DetailScratch(scratchPlanes, sizes[k]);
        }
    }

    /** Headers over the top-left corner of the scratch planes, at one detail level's size. */
    private static final class DetailScratch implements AutoCloseable {
        final Mat absVisible;
        final Mat absInfrared;
        final Mat activityVisible;
        final Mat activityInfrared;
        final Mat infraredWins;

        DetailScratch(Mat[] planes, Size size) {
            try (Rect corner = new Rect(0, 0, size.width(), size.height())) {
                absVisible = new Mat(planes[0], corner);
                absInfrared = new Mat(planes[1], corner);
                activityVisible = new Mat(planes[2], corner);
                activityInfrared = new Mat(planes[3], corner);
                infraredWins = new Mat(planes[4], corner);
            }
        }

        @Override
        public void close() {
            absVisible.close();
            absInfrared.close();
            activityVisible.close();
            activityInfrared.close();
            infraredWins.close();
        }
    }

    /** Width and height of each level, finest first, as many as requested and the frame allows. */
    static List<int[]> levelSizes(int width, int height, int requestedLevels) {
        List<int[]> dims = new ArrayList<>();
        int w = width;
        int h = height;
        dims.add(new int[] {w, h});
        while (dims.size() < requestedLevels && Math.min(w, h) >= 2 * MIN_COARSEST_SIDE) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            dims.add(new int[] {w, h});
        }
        return dims;
    }

    @Override
    protected void fuseChecked(Plane visibleY, Plane ir, Plane fused) {
        decompose(views.of(visibleY), visible);
        decompose(views.of(ir), infrared);
        for (int k = 0; k < levels - 1; k++) {
            fuseDetail(k);
        }
        int top = levels - 1;
        addWeighted(visible[top], 0.5, infrared[top], 0.5, 0.0, visible[top]);
        for (int k = top - 1; k >= 0; k--) {
            pyrUp(visible[k + 1], upsampled[k], sizes[k], opencv_core.BORDER_DEFAULT);
            add(visible[k], upsampled[k], visible[k]);
        }
        visible[0].convertTo(views.of(fused), CV_8U);
    }

    /** Turns {@code pyramid} into the Laplacian pyramid of the 8-bit {@code image}. */
    private void decompose(Mat image, Mat[] pyramid) {
        image.convertTo(pyramid[0], CV_16S);
        for (int k = 1; k < levels; k++) {
            pyrDown(pyramid[k - 1], pyramid[k], sizes[k], opencv_core.BORDER_DEFAULT);
        }
        for (int k = 0; k < levels - 1; k++) {
            pyrUp(pyramid[k + 1], upsampled[k], sizes[k], opencv_core.BORDER_DEFAULT);
            subtract(pyramid[k], upsampled[k], pyramid[k]);
        }
    }

    /** Leaves the fused detail coefficients of level k in {@code visible[k]}. */
    private void fuseDetail(int k) {
        DetailScratch d = details[k];
        convertScaleAbs(visible[k], d.absVisible);
        convertScaleAbs(infrared[k], d.absInfrared);
        Mat activityVisible = d.absVisible;
        Mat activityInfrared = d.absInfrared;
        if (window != null) {
            activityVisible = d.activityVisible;
            activityInfrared = d.activityInfrared;
            blur(d.absVisible, activityVisible, window);
            blur(d.absInfrared, activityInfrared, window);
        }
        compare(activityInfrared, activityVisible, d.infraredWins, CMP_GT);
        infrared[k].copyTo(visible[k], d.infraredWins);
    }

    @Override
    protected void release() {
        for (DetailScratch d : details) {
            d.close();
        }
        closeAll(scratchPlanes);
        closeAll(visible);
        closeAll(infrared);
        closeAll(upsampled);
        for (Size s : sizes) {
            s.close();
        }
        if (window != null) {
            window.close();
        }
    }

    private static void closeAll(Mat[] mats) {
        for (Mat m : mats) {
            if (m != null) {
                m.close();
            }
        }
    }
}
