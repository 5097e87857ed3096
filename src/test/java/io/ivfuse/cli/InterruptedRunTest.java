package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.TestVideos;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C / SIGTERM in the middle of a run still leaves a playable file with every frame encoded so far. */
class InterruptedRunTest {

    @Test
    void sigtermLeavesADecodableFile(@TempDir Path dir) throws Exception {
        Path vis = TestVideos.write(dir.resolve("vis.mp4"), 640, 480, 30, 450, "mpeg4", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mp4"), 640, 480, 30, 450, "mpeg4", (i, x, y) -> 255 - TestVideos.gradient(i, y, x));
        Path out = dir.resolve("fused.mp4");
        Path json = dir.resolve("summary.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(), "--engine", "laplacian",
                "--threads", "1", "--metrics-json", json.toString(), "--progress", "off")
                .redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (line.contains("fusing ")) {
                    Thread.sleep(1500); // let it encode for a while, then stop it as Ctrl-C would
                    p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), log.toString());
        assertTrue(log.toString().contains("(interrupted)"), "the run noticed the signal:\n" + log);
        String summary = Files.readString(json);
        int written = Integer.parseInt(summary.replaceAll("(?s).*\"frames_out\" : (\\d+).*", "$1"));
        assertTrue(written > 0 && written < 450, "stopped part-way, wrote " + written + "\n" + log);
        List<byte[]> frames = TestVideos.readLuma(out);
        assertEquals(written, frames.size(), "every frame written so far is in the file");
    }
}
