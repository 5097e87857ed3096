package io.ivfuse.source;

import io.ivfuse.IvfuseException;
import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A recorded video file: read losslessly, with backpressure. */
final class FileInput implements InputKind {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public List<String> schemes() {
        return List.of("file");
    }

    @Override
    public InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live) {
        String location = spec.uri.startsWith("file://") ? spec.uri.substring("file://".length()) : spec.uri;
        InputPlan plan = new InputPlan(role, location, spec.format, InputKinds.merge(Map.of(), spec),
                Boolean.TRUE.equals(spec.live), name());
        Path path = Path.of(location);
        if (!Files.exists(path)) {
            throw new IvfuseException(plan.label() + ": no such file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IvfuseException(plan.label() + ": not a readable file");
        }
        return plan;
    }
}
