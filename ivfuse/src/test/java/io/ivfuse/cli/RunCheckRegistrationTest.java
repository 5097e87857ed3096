package io.ivfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.registration.Homography;
import io.ivfuse.testing.InProcessRun;
import io.ivfuse.testing.SharedFiles;
import io.ivfuse.testing.WarpedRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ivfuse run --check-registration} on the registered M3SVD clips: a steady score and no
 * warning while the rig holds, one warning and a falling score when the IR camera moves mid-run.
 */
class RunCheckRegistrationTest {
    private static final String IR_CLIP = "data/m3svd/video/ir/0111_1716.mp4";
    private static final String VIS_CLIP = "data/m3svd/video/vis/0111_1716.mp4";
    private static final int FRAMES = 120;
    /** Frames from this one on are shifted in the moved recording. */
    private static final int MOVED_FROM = 60;

    @TempDir
    Path dir;

    private InProcessRun run(Path ir, Path vis) {
        Path json = dir.resolve("summary.json");
        List<String> args = new ArrayList<>(List.of("run", "--ir", ir.toString(), "--vis", vis.toString(), "-o",
                dir.resolve("fused.mkv").toString(), "--codec", "ffv1", "--engine", "max", "--max-frames", "" + FRAMES,
                "--check-registration", "--check-every", "10", "--metrics-json", json.toString(), "--progress", "off", "-y"));
        return InProcessRun.execute(json, args);
    }

    @Test
    void aRegisteredPairScoresSteadilyWithoutAWarning() {
        List<Path> clips = SharedFiles.requireAll(IR_CLIP, VIS_CLIP);
        InProcessRun r = run(clips.get(0), clips.get(1));
        assertEquals(0, r.exit(), r.err() + r.log());
        JsonNode reg = r.summary().get("registration");
        assertEquals(FRAMES / 10, reg.get("samples").asInt(), reg.toString());
        double start = reg.get("alignment_start").asDouble();
        assertTrue(start > 0.2, "edges of a registered pair agree: " + reg);
        assertTrue(reg.get("alignment_min").asDouble() > 0.8 * start, "steady: " + reg);
        assertTrue(reg.get("drift_warning").isNull(), reg.toString());
        assertTrue(!r.log().contains("registration drift"), r.log());
        assertTrue(r.out().contains("registration: alignment "), r.out());
    }

    @Test
    void anInfraredCameraThatMovesMidRunWarnsOnceAndTheScoreDrops() throws Exception {
        List<Path> clips = SharedFiles.requireAll(IR_CLIP, VIS_CLIP);
        Path moved = movedRecording(clips.get(0));
        InProcessRun r = run(moved, clips.get(1));
        assertEquals(0, r.exit(), r.err() + r.log());
        JsonNode reg = r.summary().get("registration");
        double start = reg.get("alignment_start").asDouble();
        assertTrue(reg.get("alignment_last").asDouble() < 0.6 * start, "the score drops: " + reg);
        String warning = reg.get("drift_warning").asText();
        // samples every 10 frames: the first after the move is frame 60, and 3 in a row are needed
        assertTrue(warning.contains("low for 3 samples in a row since frame " + MOVED_FROM), warning);
        List<String> warned = r.log().lines().filter(l -> l.contains("registration drift")).toList();
        assertEquals(1, warned.size(), "warned once: " + r.log());
        assertTrue(warned.get(0).startsWith("[WARN] registration drift on visible input '" + clips.get(1)
                + "' and IR input '" + moved + "'"), warned.get(0));
    }

    /** The recording's first frames, those from {@link #MOVED_FROM} on moved by (12, 8) px as if the camera had moved. */
    private Path movedRecording(Path clip) throws IOException {
        return WarpedRecording.write(clip, FRAMES, MOVED_FROM, Homography.of(1, 0, -12, 0, 1, -8, 0, 0, 1),
                Files.createDirectory(dir.resolve("frames")), dir.resolve("ir-moved.mkv"));
    }
}
