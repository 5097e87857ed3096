package io.ivfuse.quality.evaluation;

import io.ivfuse.quality.metric.Convention;
import io.ivfuse.quality.metric.Metric;
import io.ivfuse.quality.metric.MetricCatalog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivfuse.testing.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Video mode on the shared M3SVD clip: the visible video "fused" as itself has no excess change. */
class VideoEvaluationTest {

    @Test
    void visibleVideoAsFusedIsStableAndSampledEveryNthFrame() {
        List<Path> clips = SharedFiles.requireAll("data/m3svd/video/ir/0111_1716.mp4", "data/m3svd/video/vis/0111_1716.mp4");
        Path ir = clips.get(0);
        Path vis = clips.get(1);
        List<Metric> metrics = MetricCatalog.select(Convention.CDDFUSE, List.of("EN", "SSIM"));
        VideoEvaluation.Outcome out = VideoEvaluation.run(ir, vis, vis, 10, metrics, "vis");
        assertTrue(out.frames() >= 20, "frames " + out.frames());
        assertEquals(0, out.temporalStability(), 0, "fused = a source never changes more than that source");
        long sampled = out.result().rows().stream().map(EvaluationResult.Row::image).distinct().count();
        assertEquals((out.frames() + 9) / 10, sampled);
    }
}
