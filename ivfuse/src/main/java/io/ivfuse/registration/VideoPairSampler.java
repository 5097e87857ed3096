package io.ivfuse.registration;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import io.ivfuse.IvfuseException;
import io.ivfuse.source.VideoSource;
import io.ivfuse.sync.FramePairer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Frame pairs for calibrating from recordings: {@code n} visible frames spread evenly over the time
 * both recordings cover, each paired with the IR frame nearest in time within the pipeline's
 * default pairing tolerance (half the faster stream's frame interval, {@link FramePairer}), so the
 * pairs are the ones {@code ivfuse run} would fuse.
 */
final class VideoPairSampler {
    /** One pair of 8-bit gray frames; the Mats belong to whoever holds the pair ({@link #close}). */
    record FramePair(long visUs, long irUs, Mat ir, Mat vis) implements AutoCloseable {
        @Override
        public void close() {
            ir.close();
            vis.close();
        }
    }

    /** A recording's time range: its first frame's timestamp and where it ends (microseconds). */
    private record Range(long startUs, long endUs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f..%.3f s", startUs / 1e6, endUs / 1e6);
        }
    }

    private VideoPairSampler() {
    }

    /**
     * @throws IvfuseException for a missing or undecodable file, {@code n < 1}, recordings whose time
     *     ranges do not overlap, or fewer than {@code n} distinct pairs in the overlap (nothing is
     *     returned then: the Mats read so far are closed)
     */
    static List<FramePair> sample(Path irVideo, Path visVideo, int n) {
        if (n < 1) {
            throw new IvfuseException("--frames must be at least 1, got " + n);
        }
        requireFile(irVideo, "--ir-video");
        requireFile(visVideo, "--vis-video");
        Range irRange = range(irVideo, "--ir-video");
        Range visRange = range(visVideo, "--vis-video");
        long from = Math.max(irRange.startUs, visRange.startUs);
        long to = Math.min(irRange.endUs, visRange.endUs);
        if (to <= from) {
            throw new IvfuseException("videos without overlap: --ir-video " + irVideo + " covers " + irRange
                    + ", --vis-video " + visVideo + " covers " + visRange + "; no frame of one has a partner in the other");
        }
        List<FramePair> pairs = new ArrayList<>();
        try (VideoSource ir = open(irVideo, "--ir-video"); VideoSource vis = open(visVideo, "--vis-video")) {
            long toleranceUs = FramePairer.defaultToleranceUs(ir.frameRate(), vis.frameRate());
            long lastVisUs = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long at = from + Math.round((i + 0.5) * (to - from) / n);
                vis.seekTo(at);
                if (!vis.grab() || vis.timestampUs() >= to || vis.timestampUs() == lastVisUs) {
                    continue; // past the overlap, or the same frame as the last sample: no new pair here
                }
                lastVisUs = vis.timestampUs();
                FramePair pair = pairWithNearest(ir, lastVisUs, toleranceUs, vis);
                if (pair != null) {
                    pairs.add(pair);
                }
            }
            if (pairs.size() < n) {
                throw new IvfuseException(String.format(Locale.ROOT, "only %d of the %d frame pairs asked for (--frames)"
                        + " could be decoded and paired in the %.3f..%.3f s both videos cover (%s, %s)", pairs.size(), n,
                        from / 1e6, to / 1e6, irVideo, visVideo));
            }
            return pairs;
        } catch (RuntimeException e) {
            pairs.forEach(FramePair::close);
            throw e;
        }
    }

    /**
     * The current visible frame with the IR frame nearest to it in time, both copied; null when no
     * IR frame lies within the tolerance.
     */
    private static FramePair pairWithNearest(VideoSource ir, long visUs, long toleranceUs, VideoSource vis) {
        ir.seekTo(visUs - toleranceUs);
        Mat best = null;
        long bestUs = Long.MIN_VALUE;
        while (ir.grab() && ir.timestampUs() <= visUs + toleranceUs) {
            if (best == null || Math.abs(ir.timestampUs() - visUs) < Math.abs(bestUs - visUs)) {
                if (best != null) {
                    best.close();
                }
                best = copy(ir);
                bestUs = ir.timestampUs();
            }
        }
        return best == null ? null : new FramePair(visUs, bestUs, best, copy(vis));
    }

    /** The first frame's timestamp and the declared end (else the last frame's time plus one frame). */
    private static Range range(Path video, String option) {
        try (VideoSource source = open(video, option)) {
            source.grab();
            long start = source.timestampUs();
            long end = source.declaredEndUs();
            if (end < 0) {
                long last = start;
                while (source.grab()) {
                    last = source.timestampUs();
                }
                end = last + Math.round(1e6 / (source.frameRate() > 0 ? source.frameRate() : 30));
            }
            return new Range(start, end);
        }
    }

    private static VideoSource open(Path video, String option) {
        return VideoSource.open(option, video.toString(), AV_PIX_FMT_GRAY8);
    }

    private static void requireFile(Path video, String option) {
        if (!Files.isRegularFile(video)) {
            throw new IvfuseException(option + " video " + video + " does not exist or is not a file");
        }
    }

    /** grab() reuses its buffer: the current frame's pixels copied into a Mat of its own. */
    private static Mat copy(VideoSource source) {
        Frame f = source.frame();
        int w = f.imageWidth;
        int h = f.imageHeight;
        ByteBuffer src = (ByteBuffer) f.image[0];
        Mat m = new Mat(h, w, CV_8UC1);
        ByteBuffer dst = m.createBuffer();
        for (int y = 0; y < h; y++) {
            dst.put(y * w, src, y * f.imageStride, w);
        }
        return m;
    }
}
