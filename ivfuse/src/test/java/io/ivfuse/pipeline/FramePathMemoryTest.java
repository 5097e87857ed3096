package io.ivfuse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import io.ivfuse.source.Decoding;
import io.ivfuse.source.InputFrame;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.VideoSource;
import io.ivfuse.source.VisibleDecoding;
import io.ivfuse.testing.FfmpegCli;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a frame costs in memory on ivfuse's real FFmpeg paths, decoding a file into a queue slot
 * ({@link VideoSource}, {@link VisibleDecoding}) and encoding it again with the default encoder
 * ({@link VideoEncoder}),
 * over a few thousand frames after a warm-up:
 * <ul>
 * <li>no Java allocation per frame (garbage that, with the default heap, spreads over fresh heap
 * pages and shows as RSS growth: issue 12);</li>
 * <li>no native growth: JavaCPP's tracked bytes stay put, and RSS grows by less than a KiB a frame
 * (the median step between samples, so that a one-off jump on a shared machine, or the heap
 * shrinking after a collection, can't decide it). A packet or picture not unreferenced each frame
 * would be several KiB to 115 KiB a frame here (a packet left referenced: about 8 KiB).</li>
 * </ul>
 */
class FramePathMemoryTest {
    static final int W = 320;
    static final int H = 240;
    static final int FRAMES = 2400;
    static final int WARM_UP = 600;
    static final int SAMPLE_EVERY = 100;
    static Path clip;

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeClip() {
        Natives.ffmpeg();
        clip = dir.resolve("in.mkv");
        // High quality MPEG-4, so that a packet leaked per frame (several KiB) would show in RSS.
        FfmpegCli.Result r = FfmpegCli.run(120, "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=" + W + "x" + H + ":rate=30",
                "-frames:v", Integer.toString(FRAMES), "-c:v", "mpeg4", "-q:v", "2", "-g", "30", clip.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void decodingAndEncodingAllocateNothingPerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[2];
        int frames = transcode(dir.resolve("alloc.mp4"), 600, (i, packed) -> {
            if (i == 200) {
                allocated[0] = mx.getCurrentThreadAllocatedBytes();
            } else if (i == 599) {
                allocated[1] = mx.getCurrentThreadAllocatedBytes();
            }
        });
        assertEquals(600, frames);
        double perFrame = (allocated[1] - allocated[0]) / 399.0;
        // JavaCV's grabImage() and recordImage() made about 0.6 KB each; a few bytes a frame is
        // what the measurement itself costs.
        assertTrue(perFrame < 16, "decode + encode allocated " + perFrame + " bytes per frame");
    }

    @Test
    void nativeMemoryDoesNotGrowWithFrames() throws IOException {
        int samples = (FRAMES - WARM_UP) / SAMPLE_EVERY;
        double[] rss = new double[samples];
        long[] tracked = new long[samples];
        int[] n = {0};
        int frames = transcode(dir.resolve("rss.mp4"), FRAMES, (i, packed) -> {
            if (i >= WARM_UP && (i - WARM_UP) % SAMPLE_EVERY == 0 && n[0] < samples) {
                rss[n[0]] = Pointer.physicalBytes(); // this process's RSS, as JavaCPP reads it
                tracked[n[0]] = Pointer.totalBytes();
                n[0]++;
            }
        });
        assertEquals(FRAMES, frames, "every frame decoded (the decoder drained at the end)");
        double slope = medianStep(rss) / SAMPLE_EVERY;
        String trace = "RSS (MiB) every " + SAMPLE_EVERY + " frames: " + mib(rss);
        System.out.printf("FramePathMemoryTest: RSS %.0f bytes/frame; %s%n", slope, trace);
        assertTrue(slope < 1024, "RSS grows " + Math.round(slope) + " bytes per frame; " + trace);
        long trackedGrowth = tracked[samples - 1] - tracked[0];
        assertTrue(trackedGrowth < 64 * 1024, "JavaCPP-allocated memory grew " + trackedGrowth + " bytes over "
                + (FRAMES - WARM_UP) + " frames");
    }

    interface FrameProbe {
        void frame(int index, ByteBuffer packed);
    }

    /**
     * Decodes up to {@code max} frames of the clip into a queue slot as the visible input reader
     * does (the decoder writing straight into the slot), and encodes each (default encoder);
     * returns the frames done.
     */
    private static int transcode(Path out, int max, FrameProbe probe) {
        VisibleDecoding decoding = new VisibleDecoding();
        InputFrame slot = decoding.newFrame(W, H);
        ByteBuffer packed = ByteBuffer.allocateDirect(W * H + slot.chroma().capacity());
        int i = 0;
        try (VideoSource in = decoding.open(InputKinds.plan("visible", InputSpec.of(clip.toString()), new IvfuseConfig.Live()), 0, 0);
             Decoding.Copier copier = decoding.copier(in);
             VideoEncoder enc = VideoEncoder.open(out, W, H, 30, EncoderSettings.defaults())) {
            while (i < max && in.grab()) {
                copier.copy(in, slot);
                packed.put(0, slot.plane().data(), 0, W * H);
                packed.put(W * H, slot.chroma(), 0, slot.chroma().capacity());
                enc.write(packed, in.timestampUs());
                probe.frame(i, packed);
                i++;
            }
        }
        assertTrue(Files.exists(out));
        return i;
    }

    /**
     * The median of the changes between successive samples: a leak moves every step, while a
     * one-off jump (the heap shrinking after a collection, a thread starting) moves one.
     */
    static double medianStep(double[] samples) {
        double[] steps = new double[samples.length - 1];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = samples[i + 1] - samples[i];
        }
        java.util.Arrays.sort(steps);
        int m = steps.length / 2;
        return steps.length % 2 == 1 ? steps[m] : (steps[m - 1] + steps[m]) / 2;
    }

    private static String mib(double[] bytes) {
        StringBuilder b = new StringBuilder();
        for (double v : bytes) {
            b.append(String.format("%.1f ", v / (1 << 20)));
        }
        return b.toString().trim();
    }
}
