package io.ivfuse.bench;

import io.ivfuse.job.Natives;
import io.ivfuse.sink.EncoderSettings;
import io.ivfuse.sink.VideoEncoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Crash-safe (fragmented) MP4 against plain MP4 through {@link VideoEncoder}: the same 640x480
 * frames encoded with libopenh264 into both, alternating, and the writing thread's CPU time per
 * frame (encode + mux; CPU time, not wall time, because the development VM is shared). Run by hand
 * (results in benchmarks/fragmented.md):
 * <pre>
 * mvn -q -o test-compile &amp;&amp; mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ivfuse.bench.FragmentedMp4Benchmark [repeats] [frames]
 * </pre>
 */
public final class FragmentedMp4Benchmark {

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Natives.ffmpeg();
        int w = 640;
        int h = 480;
        ByteBuffer[] pictures = new ByteBuffer[30];
        for (int f = 0; f < pictures.length; f++) {
            pictures[f] = ByteBuffer.allocateDirect(w * h * 3 / 2);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pictures[f].put(y * w + x, (byte) (16 + (x + 2 * y + 3 * f) % 200 + (x * y + f) % 7));
                }
            }
            for (int c = w * h; c < w * h * 3 / 2; c++) {
                pictures[f].put(c, (byte) 128);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("ivfuse-fragmented-bench");
        List<List<Double>> msPerFrame = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < repeats; r++) {
            for (int mode = 0; mode < 2; mode++) {
                boolean fragmented = mode == 1;
                long t0 = threads.getCurrentThreadCpuTime();
                try (VideoEncoder e = VideoEncoder.open(dir.resolve(fragmented + ".mp4"), w, h, 30,
                        new EncoderSettings("libopenh264", 4000, null, fragmented, 1.0, Map.of(), 0, 0))) {
                    for (int i = 0; i < frames; i++) {
                        e.write(pictures[i % pictures.length], Math.round(i * 1e6 / 30));
                    }
                }
                msPerFrame.get(mode).add((threads.getCurrentThreadCpuTime() - t0) / 1e6 / frames);
            }
        }
        for (int mode = 0; mode < 2; mode++) {
            List<Double> v = new ArrayList<>(msPerFrame.get(mode));
            System.out.printf("%s MP4: median %.2f ms CPU per frame over %d runs of %d frames, sorted %s%n",
                    mode == 1 ? "fragmented" : "plain", median(v), repeats, frames,
                    v.stream().map(d -> String.format("%.2f", d)).toList());
        }
        for (String name : List.of("false.mp4", "true.mp4")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.delete(dir);
    }

    private static double median(List<Double> v) {
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }
}
