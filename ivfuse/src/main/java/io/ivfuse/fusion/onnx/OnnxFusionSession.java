package io.ivfuse.fusion.onnx;

import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionSession;

/** One fusion thread's ONNX Runtime session for one frame size in mode {@code ir-vis}. */
final class OnnxFusionSession implements FusionSession {
    private final TwoInputNetwork network;
    private boolean closed;

    OnnxFusionSession(TwoInputNetwork network) {
        this.network = network;
    }

    int paddedWidth() {
        return network.translator().paddedWidth();
    }

    int paddedHeight() {
        return network.translator().paddedHeight();
    }

    @Override
    public void fuse(Plane visibleY, Plane ir, Plane fused) {
        if (closed) {
            throw new IllegalStateException("onnxruntime session is closed");
        }
        network.translator().checkPlanes(visibleY, ir, fused);
        network.run(visibleY, ir, fused);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.close();
        }
    }
}
