package io.ivfuse.distill;

import io.ivfuse.model.OnnxGraphBuilder;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;

/**
 * The small CNN both real-time students run at a quarter of the resolution: 3x3 convolutions
 * 4 -&gt; C, C -&gt; C (dilation 2), C -&gt; C with leaky ReLU, and a 3x3 head of a few channels
 * (the rule's correction and the detail gains) that starts near zero, so training starts at the
 * student's prior rule. He-initialised from the caller's random source, in this order.
 */
final class QuarterResolutionCnn {
    static final int INPUTS = 4;
    static final double SLOPE = 0.1;

    private final Tensor w1;
    private final Tensor b1;
    private final Tensor w2;
    private final Tensor b2;
    private final Tensor w3;
    private final Tensor b3;
    private final Tensor wHead;
    private final Tensor bHead;

    /** The hidden features and the head's output of one forward pass, [B, C, h, w] and [B, head channels, h, w]. */
    record Out<T>(T features, T head) {
    }

    QuarterResolutionCnn(int channels, int headChannels, Random r) {
        w1 = Tensors.parameter(he(r, channels * INPUTS * 9, INPUTS * 9), channels, INPUTS, 3, 3);
        b1 = Tensors.parameter(new float[channels], channels);
        w2 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b2 = Tensors.parameter(new float[channels], channels);
        w3 = Tensors.parameter(he(r, channels * channels * 9, channels * 9), channels, channels, 3, 3);
        b3 = Tensors.parameter(new float[channels], channels);
        float[] head = he(r, headChannels * channels * 9, channels * 9);
        for (int i = 0; i < head.length; i++) {
            head[i] *= 0.01f; // start at the prior's blend, with no detail correction
        }
        wHead = Tensors.parameter(head, headChannels, channels, 3, 3);
        bHead = Tensors.parameter(new float[headChannels], headChannels);
    }

    static float[] he(Random r, int n, int fanIn) {
        float[] v = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    /** w1, b1, w2, b2, w3, b3, head weight, head bias. */
    List<Tensor> parameters() {
        return List.of(w1, b1, w2, b2, w3, b3, wHead, bHead);
    }

    Out<Tensor> forward(Tensor input) {
        Tensor h1 = Tensors.leaky(Tensors.conv(input, w1, b1, 1, 1, 1), SLOPE);
        Tensor h2 = Tensors.leaky(Tensors.conv(h1, w2, b2, 2, 2, 1), SLOPE);
        Tensor h3 = Tensors.leaky(Tensors.conv(h2, w3, b3, 1, 1, 1), SLOPE);
        return new Out<>(h3, Tensors.conv(h3, wHead, bHead, 1, 1, 1));
    }

    Out<String> toOnnx(OnnxGraphBuilder g, String input) {
        String h1 = NanoStudent.leaky(g, NanoStudent.conv(g, "conv1", input, w1, b1, 1, 1, 1));
        String h2 = NanoStudent.leaky(g, NanoStudent.conv(g, "conv2", h1, w2, b2, 2, 2, 1));
        String h3 = NanoStudent.leaky(g, NanoStudent.conv(g, "conv3", h2, w3, b3, 1, 1, 1));
        return new Out<>(h3, NanoStudent.conv(g, "head", h3, wHead, bHead, 1, 1, 1));
    }
}
