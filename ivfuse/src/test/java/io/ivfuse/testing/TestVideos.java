package io.ivfuse.testing;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.source.VideoSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Synthetic test videos: written with our encoder, read back with our decoder. */
public final class TestVideos {

    /** Luminance of pixel (x, y) in frame i. */
    @FunctionalInterface
    public interface Pattern {
        int luma(int frame, int x, int y);
    }

    /** Keyframe interval of {@link #writeH264Mkv}. */
    public static final int GOP = 15;

    private TestVideos() {
    }

    /** A bounded moving gradient: every frame and every position differs. */
    public static int gradient(int frame, int x, int y) {
        return 16 + ((x * 3 + y * 5 + frame * 7) % 220);
    }

    /**
     * Writes {@code count} frames of {@code w} x {@code h} YUV 4:2:0 (chroma: U = 16 + frame, V = 128)
     * with luminance from {@code pattern}, at {@code fps}, using {@code codec} (ffv1 is lossless).
     */
    public static Path write(Path file, int w, int h, double fps, int count, String codec, Pattern pattern) {
        Natives.ffmpeg();
        ByteBuffer yuv = ByteBuffer.allocateDirect(w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2));
        int chroma = ((w + 1) / 2) * ((h + 1) / 2);
        try (VideoEncoder encoder = VideoEncoder.open(file, w, h, fps, new EncoderSettings(codec, 0, null, false))) {
            for (int i = 0; i < count; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        yuv.put(y * w + x, (byte) pattern.luma(i, x, y));
                    }
                }
                for (int c = 0; c < chroma; c++) {
                    yuv.put(w * h + c, (byte) (16 + i));
                    yuv.put(w * h + chroma + c, (byte) 128);
                }
                encoder.write(yuv, Math.round(i * 1e6 / fps));
            }
        }
        return file;
    }

    /**
     * Writes an H.264 Matroska file (libopenh264, a keyframe every {@link #GOP} frames, no B-frames)
     * so that a client joining a live stream of it at any moment decodes within half a second at
     * 30 fps. Made by writing lossless FFV1 with our encoder (which sets no GOP) and transcoding it
     * with the bundled ffmpeg.
     */
    public static Path writeH264Mkv(Path file, int w, int h, double fps, int frames, Pattern pattern) {
        Path lossless = file.resolveSibling(file.getFileName() + ".ffv1.mkv");
        try {
            write(lossless, w, h, fps, frames, "ffv1", pattern);
            FfmpegCli.Result r = FfmpegCli.run(120, "-nostdin", "-y", "-v", "error", "-i", lossless.toString(),
                    "-c:v", "libopenh264", "-g", String.valueOf(GOP), "-bf", "0", "-b:v", "1M", file.toString());
            if (r.exitCode() != 0) {
                throw new AssertionError("ffmpeg could not transcode " + lossless + " to H.264:\n" + r.output());
            }
            return file;
        } finally {
            try {
                Files.deleteIfExists(lossless);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Bits of the frame number stamped by {@link #stamped}: frames 0 to 65535, then it wraps. */
    public static final int STAMP_BITS = 16;
    private static final int BLACK = 16;
    private static final int WHITE = 235;

    /**
     * {@code background} with the frame number stamped across the top: {@link #STAMP_BITS} blocks,
     * most significant bit first, white for 1 and black for 0, each w/16 wide and 16 rows high (32
     * from 384 rows up): flat and big enough to survive H.264 at low bit rates. Read back with
     * {@link #readStampedFrameNumber}. Needs w >= 64 and h >= 32.
     */
    public static Pattern stamped(int w, int h, Pattern background) {
        checkStampable(w, h);
        int bw = w / STAMP_BITS;
        int bh = stampHeight(h);
        return (frame, x, y) -> {
            if (y >= bh || x >= bw * STAMP_BITS) {
                return background.luma(frame, x, y);
            }
            int bit = STAMP_BITS - 1 - x / bw;
            return ((frame >> bit) & 1) != 0 ? WHITE : BLACK;
        };
    }

    /** {@link #writeH264Mkv} of the moving {@link #gradient} with the frame number {@link #stamped}. */
    public static Path writeStampedH264Mkv(Path file, int w, int h, double fps, int frames) {
        return writeH264Mkv(file, w, h, fps, frames, stamped(w, h, TestVideos::gradient));
    }

    /**
     * The frame number that {@link #stamped} put into a decoded frame's luminance (packed rows, as
     * stored or full range), or -1 when a block is neither clearly black nor clearly white (no
     * stamp, or a damaged frame). Each block is judged by the mean of its central half.
     */
    public static int readStampedFrameNumber(byte[] luma, int w, int h) {
        checkStampable(w, h);
        int bw = w / STAMP_BITS;
        int bh = stampHeight(h);
        int number = 0;
        for (int b = 0; b < STAMP_BITS; b++) {
            long sum = 0;
            int n = 0;
            for (int y = bh / 4; y < bh - bh / 4; y++) {
                for (int x = b * bw + bw / 4; x < (b + 1) * bw - bw / 4; x++) {
                    sum += luma[y * w + x] & 0xff;
                    n++;
                }
            }
            double mean = (double) sum / n;
            if (Math.abs(mean - 128) < 48) {
                return -1;
            }
            number = (number << 1) | (mean > 128 ? 1 : 0);
        }
        return number;
    }

    private static int stampHeight(int h) {
        return h >= 384 ? 32 : 16;
    }

    private static void checkStampable(int w, int h) {
        if (w < 64 || h < 32) {
            throw new IllegalArgumentException("a frame-number stamp needs at least 64x32 pixels, not " + w + "x" + h);
        }
    }

    /** Decodes every frame's luminance (as stored, limited range) into packed arrays. */
    public static List<byte[]> readLuma(Path file) {
        return read(file, AV_PIX_FMT_YUV420P, true);
    }

    /** Decodes every frame as packed YUV 4:2:0. */
    public static List<byte[]> readYuv(Path file) {
        return read(file, AV_PIX_FMT_YUV420P, false);
    }

    /** Decodes every frame as full-range gray. */
    public static List<byte[]> readGray(Path file) {
        return read(file, AV_PIX_FMT_GRAY8, true);
    }

    private static List<byte[]> read(Path file, int format, boolean firstPlaneOnly) {
        Natives.ffmpeg();
        List<byte[]> frames = new ArrayList<>();
        try (VideoSource source = VideoSource.open("test", file.toString(), format)) {
            int w = source.width();
            int h = source.height();
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            while (source.grab()) {
                ByteBuffer b = (ByteBuffer) source.frame().image[0];
                b.limit(b.capacity());
                byte[] packed = new byte[firstPlaneOnly ? w * h : w * h + 2 * cw * ch];
                int stride = source.lumaStride();
                for (int y = 0; y < h; y++) {
                    b.get(y * stride, packed, y * w, w);
                }
                if (!firstPlaneOnly) {
                    int cs = source.chromaStride();
                    for (int plane = 0; plane < 2; plane++) {
                        int from = stride * h + plane * cs * ch;
                        for (int y = 0; y < ch; y++) {
                            b.get(from + y * cs, packed, w * h + plane * cw * ch + y * cw, cw);
                        }
                    }
                }
                frames.add(packed);
            }
        }
        return frames;
    }
}
