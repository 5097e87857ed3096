package io.ivfuse.testing;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.source.VideoSource;
import java.nio.ByteBuffer;
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
        Natives.init();
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
        Natives.init();
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

    /** The shared data folder beside the project, or null when absent. */
    public static Path shared() {
        Path p = Path.of("..", "shared").toAbsolutePath().normalize();
        return java.nio.file.Files.isDirectory(p) ? p : null;
    }
}
