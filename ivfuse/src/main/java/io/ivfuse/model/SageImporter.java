package io.ivfuse.model;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Map;

/** Converts the SAGE authors' checkpoint into an ivfuse ONNX model. */
public final class SageImporter {
    private SageImporter() {
    }

    /** What an import produced. */
    public record Result(Path model, int dim, int checkpointTensors, long foldedParameters) {
    }

    /**
     * Reads {@code checkpoint}, rebuilds and folds the student, and writes it to {@code out};
     * with {@code withFeatures}, the features x1..x5 are extra outputs.
     */
    public static Result importCheckpoint(Path checkpoint, Path out, boolean withFeatures) {
        Map<String, TorchTensor> stateDict = TorchCheckpoint.readStateDict(checkpoint);
        SageStudent student = SageStudent.fromStateDict(stateDict, checkpoint.toString());
        OnnxMl.ModelProto model = student.toOnnx(withFeatures,
                Map.of(ModelConvention.SOURCE, String.valueOf(checkpoint.getFileName())));
        OnnxGraphBuilder.write(model, out);
        return new Result(out, student.dim(), stateDict.size(), student.parameterCount());
    }
}
