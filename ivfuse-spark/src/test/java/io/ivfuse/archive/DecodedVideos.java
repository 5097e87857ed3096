package io.ivfuse.archive;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Two videos decoded side by side, frame by frame: how many frames each has and their largest pixel difference. */
record DecodedVideos(long framesA, long framesB, int maxDifference) {

    static DecodedVideos compare(Path a, Path b) throws Exception {
        try (FFmpegFrameGrabber ga = new FFmpegFrameGrabber(a.toFile()); FFmpegFrameGrabber gb = new FFmpegFrameGrabber(b.toFile())) {
            ga.start();
            gb.start();
            long na = 0;
            long nb = 0;
            int max = 0;
            while (true) {
                // grabImage() reuses its Frame: each pair is compared before the next grab.
                Frame fa = ga.grabImage();
                Frame fb = gb.grabImage();
                na += fa != null ? 1 : 0;
                nb += fb != null ? 1 : 0;
                if (fa == null || fb == null) {
                    break;
                }
                max = Math.max(max, difference(fa, fb));
            }
            while (ga.grabImage() != null) {
                na++;
            }
            while (gb.grabImage() != null) {
                nb++;
            }
            return new DecodedVideos(na, nb, max);
        }
    }

    private static int difference(Frame a, Frame b) {
        if (a.imageWidth != b.imageWidth || a.imageHeight != b.imageHeight || a.imageStride != b.imageStride) {
            return Integer.MAX_VALUE;
        }
        ByteBuffer pa = (ByteBuffer) a.image[0];
        ByteBuffer pb = (ByteBuffer) b.image[0];
        int max = 0;
        for (int i = 0, n = a.imageHeight * a.imageStride; i < n; i++) {
            max = Math.max(max, Math.abs((pa.get(i) & 0xff) - (pb.get(i) & 0xff)));
        }
        return max;
    }
}
