package io.ivfuse.source;

import io.ivfuse.config.InputSpec;
import io.ivfuse.config.IvfuseConfig;
import java.util.List;

/**
 * One kind of input (files, RTSP cameras, network streams, V4L2 devices, image sequences),
 * chosen by {@link InputKinds} from the URI's scheme. It checks what it can before anything is
 * opened and chooses FFmpeg's demuxer and options for its kind.
 */
public interface InputKind {

    /** The kind's short name, shown in logs and the summary. */
    String name();

    /** URI schemes this kind reads ("" for plain paths). */
    List<String> schemes();

    /** Resolves {@code spec} into what FFmpeg opens; throws IvfuseException for what can't work. */
    InputPlan plan(String role, InputSpec spec, IvfuseConfig.Live live);
}
