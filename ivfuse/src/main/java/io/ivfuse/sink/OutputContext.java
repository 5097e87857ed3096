package io.ivfuse.sink;

import com.codahale.metrics.MetricRegistry;
import io.ivfuse.pipeline.FrameGeometry;

/** What every output is opened with: the run's frame geometry, the frame rate, the job's metrics. */
public record OutputContext(FrameGeometry geometry, double fps, MetricRegistry registry) {
}
