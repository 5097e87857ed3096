package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A V4L2 capture device ({@code /dev/video0} or {@code v4l2:///dev/video0}). Size, frame rate and
 * pixel format are FFmpeg's v4l2 options: {@code video_size: 640x480}, {@code framerate: 30},
 * {@code input_format: yuyv422} (or {@code mjpeg}, {@code y16} for thermal cores).
 */
final class V4l2Input implements InputKind {

    @Override
    public String name() {
        return "v4l2";
    }

    @Override
    public List<String> schemes() {
        return List.of("v4l2");
    }

    @Override
    public InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        String device = spec.uri.startsWith("v4l2://") ? spec.uri.substring("v4l2://".length()) : spec.uri;
        InputPlan plan = new InputPlan(role, device, spec.format != null ? spec.format : "v4l2",
                InputKinds.merge(Map.of(), spec), spec.live == null || spec.live, name());
        if (!Files.exists(Path.of(device))) {
            throw new IvfuseException(plan.label() + ": no such device");
        }
        return plan;
    }
}
