package io.ivfuse.registration;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.frame.Plane;
import io.ivfuse.job.Natives;
import io.ivfuse.testing.SharedFiles;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The alignment score on a registered M3SVD frame pair, the pair misaligned, and its allocation per sample. */
class AlignmentScoreTest {

    private static Plane plane(Path png, int dx) {
        try (Mat m = imread(png.toString(), IMREAD_GRAYSCALE)) {
            Plane p = Plane.allocate(m.cols(), m.rows());
            ByteBuffer src = m.createBuffer();
            for (int y = 0; y < m.rows(); y++) {
                for (int x = 0; x < m.cols(); x++) {
                    int sx = Math.min(m.cols() - 1, Math.max(0, x - dx));
                    p.set(x, y, src.get(y * m.cols() + sx) & 0xff);
                }
            }
            return p;
        }
    }

    @Test
    void aMisalignedPairScoresFarLowerAndScoringAllocatesNothing() {
        Path ir = SharedFiles.require("data/m3svd/frames/0114_1551/ir/0000.png");
        Path vis = SharedFiles.require("data/m3svd/frames/0114_1551/vis/0000.png");
        Natives.opencv();
        Plane visible = plane(vis, 0);
        Plane registered = plane(ir, 0);
        Plane shifted = plane(ir, 16);
        Plane footprint = Plane.allocate(visible.width(), visible.height());
        footprint.fill((byte) 255);
        try (AlignmentScore score = new AlignmentScore(footprint)) {
            double aligned = score.score(visible, registered);
            double off = score.score(visible, shifted);
            assertTrue(aligned > 0.2 && off < 0.5 * aligned, "aligned " + aligned + ", 16 px off " + off);
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            threads.setThreadAllocatedMemoryEnabled(true);
            long id = Thread.currentThread().getId();
            for (int i = 0; i < 20; i++) {
                score.score(visible, registered);
            }
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 50; i++) {
                score.score(visible, registered);
            }
            long perSample = (threads.getThreadAllocatedBytes(id) - before) / 50;
            assertTrue(perSample < 64, perSample + " bytes allocated a sample");
        }
    }
}
