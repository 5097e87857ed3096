package io.ivfuse.testing;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import io.ivfuse.metrics.PipelineMetrics;
import io.ivfuse.pipeline.FrameGeometry;
import io.ivfuse.source.InfraredDecoding;
import io.ivfuse.source.InputKinds;
import io.ivfuse.source.InputReader;
import io.ivfuse.source.VisibleDecoding;
import io.ivfuse.sync.FramePairer;
import java.nio.file.Path;

/** A visible and an IR file opened with the readers `ivfuse run` uses, started; for pipeline tests. */
public final class FileInputs implements AutoCloseable {
    public final InputReader visible;
    public final InputReader infrared;

    public FileInputs(Path vis, Path ir, PipelineMetrics metrics) {
        IvfuseConfig.Live live = new IvfuseConfig.Live();
        visible = new InputReader(InputKinds.plan("visible", InputSpec.of(vis.toString()), live), new VisibleDecoding(),
                live, metrics.vis, false);
        infrared = new InputReader(InputKinds.plan("IR", InputSpec.of(ir.toString()), live),
                new InfraredDecoding(new IvfuseConfig.Gray16()), live, metrics.ir, false);
        visible.start();
        infrared.start();
    }

    public FrameGeometry geometry() {
        return new FrameGeometry(visible.width(), visible.height(), infrared.width(), infrared.height());
    }

    /** Default tolerance for 30 fps streams. */
    public static long tolerance() {
        return FramePairer.defaultToleranceUs(30, 30);
    }

    /** A file-mode pairer over the IR queue with the defaults for 30 fps streams. */
    public FramePairer pairer() {
        return new FramePairer(infrared.queue(), tolerance(), FramePairer.defaultMaxStaleUs(30, 30), 0,
                IvfuseConfig.EndPolicy.SHORTEST, false);
    }

    @Override
    public void close() {
        visible.close();
        infrared.close();
    }
}
