package io.ivfuse.quality.evaluation;

import io.ivfuse.quality.metric.Metric;
import io.ivfuse.quality.metric.MetricImage;
import io.ivfuse.quality.metric.TemporalStability;
import io.ivfuse.quality.metric.Triplet;
import io.ivfuse.IvfuseException;
import io.ivfuse.frame.Plane;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Metrics on sampled frames of an infrared, a visible and a fused video, plus the fused video's
 * {@link TemporalStability} over every frame. Frames are decoded as gray (FFmpeg GRAY8) and paired
 * by index: frame i of each video, stopping at the shortest.
 */
public final class VideoEvaluation {

    /** What a run measured: the per-frame rows, the stability figure and how many frames were read. */
    public record Outcome(EvaluationResult result, double temporalStability, double worstStep, long frames) {
    }

    private VideoEvaluation() {
    }

    public static Outcome run(Path irVideo, Path visVideo, Path fusedVideo, int every, List<Metric> metrics, String method) {
        if (every < 1) {
            throw new IvfuseException("--every must be >= 1, got " + every);
        }
        for (Path p : List.of(irVideo, visVideo, fusedVideo)) {
            if (!Files.isRegularFile(p)) {
                throw new IvfuseException("video not found: " + p);
            }
        }
        EvaluationResult result = new EvaluationResult();
        TemporalStability stability = new TemporalStability();
        try (FFmpegFrameGrabber a = open(irVideo); FFmpegFrameGrabber b = open(visVideo); FFmpegFrameGrabber f = open(fusedVideo)) {
            Plane pa = null;
            Plane pb = null;
            Plane pf = null;
            long index = 0;
            while (true) {
                Frame fa = a.grabImage();
                Frame fb = b.grabImage();
                Frame ff = f.grabImage();
                if (fa == null || fb == null || ff == null) {
                    break;
                }
                if (pa == null) {
                    pa = Plane.allocate(fa.imageWidth, fa.imageHeight);
                    pb = Plane.allocate(fb.imageWidth, fb.imageHeight);
                    pf = Plane.allocate(ff.imageWidth, ff.imageHeight);
                    if (!pa.sameSize(pf) || !pb.sameSize(pf)) {
                        throw new IvfuseException("video sizes differ: " + irVideo + " " + pa.width() + "x" + pa.height()
                                + ", " + visVideo + " " + pb.width() + "x" + pb.height() + ", " + fusedVideo + " "
                                + pf.width() + "x" + pf.height());
                    }
                }
                copy(fa, pa, irVideo, index);
                copy(fb, pb, visVideo, index);
                copy(ff, pf, fusedVideo, index);
                stability.accept(pa, pb, pf);
                if (index % every == 0) {
                    MetricImage ia = MetricImage.gray(pa.width(), pa.height(), pa.toArray());
                    MetricImage ib = MetricImage.gray(pb.width(), pb.height(), pb.toArray());
                    MetricImage iff = MetricImage.gray(pf.width(), pf.height(), pf.toArray());
                    String name = String.format("frame_%06d", index);
                    Triplet triplet = new Triplet(ia, ib, iff);
                    for (Metric m : metrics) {
                        result.add(new EvaluationResult.Row(name, method, m.name(), m.compute(triplet)));
                    }
                }
                index++;
            }
            if (index == 0) {
                throw new IvfuseException("no frames decoded from " + irVideo + ", " + visVideo + " or " + fusedVideo);
            }
            return new Outcome(result, stability.value(), stability.worst(), index);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new IvfuseException("cannot decode video: " + e.getMessage(), e);
        }
    }

    private static FFmpegFrameGrabber open(Path p) throws FFmpegFrameGrabber.Exception {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(p.toFile());
        g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
        try {
            g.start();
        } catch (FFmpegFrameGrabber.Exception e) {
            try {
                g.close();
            } catch (org.bytedeco.javacv.FrameGrabber.Exception ignored) {
                // the open error is the one to report
            }
            throw new IvfuseException("cannot open video " + p + ": " + e.getMessage(), e);
        }
        return g;
    }

    /** grab() reuses its Frame, so the pixels are copied out at once. */
    private static void copy(Frame frame, Plane dst, Path video, long index) {
        if (frame.imageWidth != dst.width() || frame.imageHeight != dst.height()) {
            throw new IvfuseException("frame " + index + " of " + video + " changed size");
        }
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < dst.height(); y++) {
            dst.data().put(y * dst.stride(), buf, y * stride, dst.width());
        }
    }
}
