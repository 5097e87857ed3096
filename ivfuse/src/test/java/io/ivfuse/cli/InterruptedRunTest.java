package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.CsvMeters;
import io.ivfuse.testing.Deadline;
import io.ivfuse.testing.IvfuseProcess;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C / SIGTERM in the middle of a run still leaves a playable file with every frame encoded so far. */
class InterruptedRunTest {
    static final int FRAMES = 450;

    @Test
    void sigtermLeavesADecodableFile(@TempDir Path dir) throws Exception {
        Path vis = TestVideos.write(dir.resolve("vis.mp4"), 640, 480, 30, FRAMES, "mpeg4", TestVideos::gradient);
        Path ir = TestVideos.write(dir.resolve("ir.mp4"), 640, 480, 30, FRAMES, "mpeg4", (i, x, y) -> 255 - TestVideos.gradient(i, y, x));
        Path out = dir.resolve("fused.mp4");
        Path json = dir.resolve("summary.json");
        Path csv = dir.resolve("csv");
        Path log = dir.resolve("log.txt");
        // The CSV reporter shows the run's progress once a second: the signal comes once frames are out.
        Path config = Files.writeString(dir.resolve("run.yaml"), "metrics:\n  csv_dir: '" + csv + "'\n  csv_period_s: 1\n");
        Process p = new ProcessBuilder(IvfuseProcess.command("run", "--config", config.toString(), "--ir", ir.toString(),
                "--vis", vis.toString(), "-o", out.toString(), "--engine", "laplacian", "--threads", "1",
                "--metrics-json", json.toString(), "--progress", "off"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Deadline.within(120, TimeUnit.SECONDS).until("30 frames are out", () -> CsvMeters.framesOut(csv) >= 30 || !p.isAlive());
            p.toHandle().destroy(); // SIGTERM, as Ctrl-C would stop it
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), "a stopped run exits 0:\n" + output);
        assertTrue(output.contains("(interrupted)"), "the run noticed the signal:\n" + output);
        long written = new ObjectMapper().readTree(json.toFile()).get("frames_out").asLong();
        assertTrue(written >= 30 && written < FRAMES, "stopped part-way, wrote " + written + "\n" + output);
        List<byte[]> frames = TestVideos.readLuma(out);
        assertEquals(written, frames.size(), "every frame written so far is in the file");
    }
}
