package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.testing.SharedFiles;
import io.ivfuse.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real 640x480 M3SVD clips of ../shared: frame counts, pairing, and a fused output of the right length. */
class SharedClipsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0111_1716", "0113_1714"})
    void fusesTheRealClipsFrameForFrame(String clip, @TempDir Path dir) throws Exception {
        List<Path> clips = SharedFiles.requireAll("data/m3svd/video/ir/" + clip + ".mp4", "data/m3svd/video/vis/" + clip + ".mp4");
        Path ir = clips.get(0);
        Path vis = clips.get(1);
        int irFrames = TestVideos.readGray(ir).size();
        int visFrames = TestVideos.readLuma(vis).size();
        assertTrue(irFrames > 100 && visFrames > 100, "clips hold " + irFrames + " and " + visFrames + " frames");

        Path out = dir.resolve("fused.mp4");
        Path json = dir.resolve("summary.json");
        int exit = Main.execute("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o", out.toString(),
                "--engine", "laplacian", "--threads", "2", "--metrics-json", json.toString(), "--progress", "off");
        assertEquals(0, exit);
        JsonNode s = new ObjectMapper().readTree(json.toFile());
        int shorter = Math.min(irFrames, visFrames);
        assertEquals(irFrames, s.get("frames_in_ir").asInt());
        assertEquals(shorter, s.get("frames_out").asInt());
        assertEquals(shorter, s.get("paired").asInt(), "synchronized 30 fps clips pair one to one");
        assertEquals(0, s.get("held").asInt());
        assertEquals(0, s.get("dropped_unpaired").asInt());
        assertEquals(0.0, s.get("skew_p99_ms").asDouble(), 0.5);
        assertEquals(shorter, TestVideos.readLuma(out).size(), "the fused video has one frame per pair");
    }
}
