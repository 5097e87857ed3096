package io.ivfuse.distill;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_ximgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_ximgproc.SuperpixelSLIC;

/**
 * Unsupervised regions for the contrastive semantic term: SLIC superpixels (OpenCV ximgproc) over
 * the two sources stacked as a 2-channel image, standing in for the Segment Anything masks SAGE
 * uses.
 */
final class Superpixels {
    private Superpixels() {
    }

    /** Labels (0-based, row-major) of SLIC superpixels of about {@code regionSize} pixels across. */
    static int[] slic(byte[] visible, byte[] infrared, int width, int height, int regionSize) {
        try (Mat v = new Mat(height, width, opencv_core.CV_8UC1);
             Mat i = new Mat(height, width, opencv_core.CV_8UC1);
             Mat both = new Mat();
             MatVector parts = new MatVector(v, i);
             Mat labels = new Mat()) {
            v.data().put(visible);
            i.data().put(infrared);
            opencv_core.merge(parts, both);
            try (SuperpixelSLIC slic = opencv_ximgproc.createSuperpixelSLIC(both, opencv_ximgproc.SLICO, regionSize, 10f)) {
                slic.iterate(10);
                slic.enforceLabelConnectivity(25);
                slic.getLabels(labels);
            }
            int[] out = new int[width * height];
            new IntPointer(labels.data()).capacity(out.length).get(out);
            return out;
        }
    }
}
