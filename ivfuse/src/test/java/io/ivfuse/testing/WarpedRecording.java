package io.ivfuse.testing;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.job.Natives;
import io.ivfuse.registration.Homography;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A recording as a moved camera would have made it: frames decoded by the bundled ffmpeg, warped
 * in OpenCV by a known homography G (frame'(q) = frame(G q), black where G leaves the frame), and
 * encoded again (FFV1 gray, 30 fps, timestamps from 0), for registration tests with a known truth.
 */
public final class WarpedRecording {
    private WarpedRecording() {
    }

    /**
     * The first {@code frames} frames of {@code clip} as {@code out}, those from {@code fromFrame} on
     * warped by {@code g}; {@code work} is an empty folder for the frames.
     */
    public static Path write(Path clip, int frames, int fromFrame, Homography g, Path work, Path out) throws IOException {
        Natives.opencv();
        ffmpeg("-i", clip.toString(), "-frames:v", "" + frames, work.resolve("%04d.png").toString());
        try (Stream<Path> list = Files.list(work); Mat m = g.toMat(); Scalar black = new Scalar(0.0)) {
            for (Path f : list.sorted().skip(fromFrame).toList()) {
                try (Mat image = imread(f.toString(), IMREAD_GRAYSCALE); Mat moved = new Mat();
                        Size size = new Size(image.cols(), image.rows())) {
                    warpPerspective(image, moved, m, size, INTER_LINEAR | WARP_INVERSE_MAP, 0, black);
                    imwrite(f.toString(), moved);
                }
            }
        }
        ffmpeg("-framerate", "30", "-i", work.resolve("%04d.png").toString(), "-c:v", "ffv1", "-pix_fmt", "gray",
                out.toString());
        return out;
    }

    /** Runs the bundled ffmpeg quietly, overwriting, and fails the test when it fails. */
    public static void ffmpeg(String... args) {
        String[] all = Stream.concat(Stream.of("-v", "error", "-y"), Stream.of(args)).toArray(String[]::new);
        FfmpegCli.Result r = FfmpegCli.run(120, all);
        assertEquals(0, r.exitCode(), r.output());
    }
}
