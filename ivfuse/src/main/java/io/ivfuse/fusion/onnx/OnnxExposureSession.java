package io.ivfuse.fusion.onnx;

import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.exposure.ChromaBlend;
import io.ivfuse.fusion.exposure.ExposureSession;

/**
 * One fusion thread's ONNX Runtime session in mode {@code mef}: the network fuses the luminance of
 * the under- and the over-exposure (as HSDS-MEF fuses Y only), the chroma planes are blended by
 * |C - 128| ({@link ChromaBlend}, as the classical exposure engines do).
 */
final class OnnxExposureSession extends ExposureSession {
    private final TwoInputNetwork network;
    private final ChromaBlend chroma;

    OnnxExposureSession(TwoInputNetwork network, int width, int height, boolean subsampledChroma) {
        super(width, height, 2, subsampledChroma);
        this.network = network;
        this.chroma = new ChromaBlend(chromaWidth, chromaHeight);
    }

    @Override
    protected void fuseChecked(YuvPlanes[] frames, YuvPlanes fused) {
        network.run(frames[0].y(), frames[1].y(), fused.y());
        blendChroma(chroma, frames, fused);
    }

    @Override
    protected void release() {
        closeAll(network, chroma);
    }
}
