package io.ivfuse.demo;

import io.ivfuse.registration.Homography;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Films {@link DemoScene} with two simulated cameras and writes both videos: the visible camera at
 * the scene's own geometry, and a lower-resolution thermal camera whose pixels see the scene
 * through {@code irToVis} (so its stream is misregistered exactly by that homography).
 */
public final class DemoRecording {
    private DemoRecording() {
    }

    /** Writes {@code seconds} of visible video at {@code fps} (640x480, colour). */
    public static void writeVisible(Path file, double fps, double seconds, EncoderSettings encoding) {
        int w = DemoScene.WIDTH;
        int h = DemoScene.HEIGHT;
        int frames = (int) Math.round(seconds * fps);
        int cw = w / 2;
        int ch = h / 2;
        ByteBuffer yuv = ByteBuffer.allocateDirect(w * h + 2 * cw * ch);
        try (VideoEncoder encoder = VideoEncoder.open(file, w, h, fps, encoding)) {
            for (int i = 0; i < frames; i++) {
                double t = i / fps;
                // Each 2x2 block: four lumas and the average chroma (4:2:0), BT.601 video range.
                IntStream.range(0, ch).parallel().forEach(by -> {
                    double[] rgb = new double[3];
                    for (int bx = 0; bx < cw; bx++) {
                        double cb = 0;
                        double cr = 0;
                        for (int k = 0; k < 4; k++) {
                            int x = 2 * bx + (k & 1);
                            int y = 2 * by + (k >> 1);
                            DemoScene.color(x, y, t, rgb);
                            double luma = 16 + (65.481 * rgb[0] + 128.553 * rgb[1] + 24.966 * rgb[2]) / 255;
                            yuv.put(y * w + x, (byte) Math.round(luma));
                            cb += 128 + (-37.797 * rgb[0] - 74.203 * rgb[1] + 112.0 * rgb[2]) / 255;
                            cr += 128 + (112.0 * rgb[0] - 93.786 * rgb[1] - 18.214 * rgb[2]) / 255;
                        }
                        yuv.put(w * h + by * cw + bx, (byte) Math.round(cb / 4));
                        yuv.put(w * h + cw * ch + by * cw + bx, (byte) Math.round(cr / 4));
                    }
                });
                encoder.write(yuv, Math.round(t * 1e6));
            }
        }
    }

    /** Writes {@code seconds} of thermal video at {@code fps}, {@code w} x {@code h}, seen through {@code irToVis}. */
    public static void writeInfrared(Path file, int w, int h, double fps, double seconds, Homography irToVis,
                                     EncoderSettings encoding) {
        int frames = (int) Math.round(seconds * fps);
        ByteBuffer yuv = ByteBuffer.allocateDirect(w * h + 2 * (w / 2) * (h / 2));
        for (int i = w * h; i < yuv.capacity(); i++) {
            yuv.put(i, (byte) 128);
        }
        try (VideoEncoder encoder = VideoEncoder.open(file, w, h, fps, encoding)) {
            for (int i = 0; i < frames; i++) {
                double t = i / fps;
                int frame = i;
                IntStream.range(0, h).parallel().forEach(y -> {
                    double[] vis = new double[3];
                    for (int x = 0; x < w; x++) {
                        irToVis.apply(x, y, vis);
                        double heat = DemoScene.heat(vis[0], vis[1], t) + sensorNoise(x, y, frame);
                        double clamped = Math.max(0, Math.min(255, heat));
                        yuv.put(y * w + x, (byte) Math.round(16 + clamped * 219 / 255));
                    }
                });
                encoder.write(yuv, Math.round(t * 1e6));
            }
        }
    }

    /** A little temporal noise, as a microbolometer has. */
    private static double sensorNoise(int x, int y, int frame) {
        long h = x * 73856093L ^ y * 19349663L ^ frame * 83492791L;
        h = (h ^ (h >>> 15)) * 2246822519L;
        return (((h ^ (h >>> 13)) & 0xFF) / 255.0 - 0.5) * 4;
    }
}
