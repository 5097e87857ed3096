package io.ivfuse.distill;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** A trainable fusion network: a libtorch forward pass and an ONNX export of the same function. */
interface Student {

    /** The fused image [B, 1, H, W] (before clamping) and the features used for feature distillation. */
    record Output(Tensor fused, Tensor features) {
    }

    String name();

    /** Channels of {@link Output#features}. */
    int featureChannels();

    /** Resolution divisor of {@link Output#features} (4: a quarter of the input size). */
    int featureStride();

    /** The learnable tensors (leaves with requires_grad). */
    List<Tensor> parameters();

    /** vis, ir: [B, 1, H, W] in [0, 1], H and W multiples of 4. */
    Output forward(Tensor vis, Tensor ir);

    /** The trained network in ONNX with ivfuse's model convention. */
    OnnxMl.ModelProto toOnnx(Map<String, String> extraMetadata);
}
