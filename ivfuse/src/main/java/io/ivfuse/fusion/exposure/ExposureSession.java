package io.ivfuse.fusion.exposure;

import io.ivfuse.frame.MatViews;
import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import io.ivfuse.fusion.ExposureFusionSession;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The checks every exposure session makes before fusing (open, exposure count, size, chroma
 * layout, output distinct from the inputs) and idempotent closing; subclasses supply the rule and
 * release their buffers. {@link #views} gives OpenCV headers over the planes, made on first use of
 * each plane (fixed planes, as the pipeline's, allocate once).
 */
public abstract class ExposureSession implements ExposureFusionSession {
    protected final int width;
    protected final int height;
    protected final int exposures;
    protected final boolean subsampledChroma;
    protected final int chromaWidth;
    protected final int chromaHeight;
    protected final MatViews views = new MatViews();
    private final Mat[] cbViews;
    private final Mat[] crViews;
    private boolean closed;

    protected ExposureSession(int width, int height, int exposures, boolean subsampledChroma) {
        this.width = width;
        this.height = height;
        this.exposures = exposures;
        this.subsampledChroma = subsampledChroma;
        this.chromaWidth = YuvPlanes.chromaSide(width, subsampledChroma);
        this.chromaHeight = YuvPlanes.chromaSide(height, subsampledChroma);
        this.cbViews = new Mat[exposures];
        this.crViews = new Mat[exposures];
    }

    /** Fuses the exposures' Cb and Cr planes into the fused picture's by {@code chroma} (|C - 128| weighting). */
    protected final void blendChroma(ChromaBlend chroma, YuvPlanes[] frames, YuvPlanes fused) {
        for (int k = 0; k < exposures; k++) {
            cbViews[k] = views.of(frames[k].cb());
            crViews[k] = views.of(frames[k].cr());
        }
        chroma.blend(cbViews, views.of(fused.cb()));
        chroma.blend(crViews, views.of(fused.cr()));
    }

    @Override
    public final void fuse(YuvPlanes[] frames, YuvPlanes fused) {
        if (closed) {
            throw new IllegalStateException("fusion session is closed");
        }
        if (frames.length != exposures) {
            throw new IllegalArgumentException("the session fuses " + exposures + " exposures, got " + frames.length);
        }
        for (int k = 0; k < frames.length; k++) {
            check(frames[k], k);
            if (frames[k] == fused || frames[k].y() == fused.y()) {
                throw new IllegalArgumentException("the fused planes must not be one of the inputs");
            }
        }
        check(fused, -1);
        fuseChecked(frames, fused);
    }

    /** Checks the planes of exposure {@code k} (-1: the fused picture); messages are built only on failure. */
    private void check(YuvPlanes p, int k) {
        checkPlane(p.y(), width, height, k, "luma");
        checkPlane(p.cb(), chromaWidth, chromaHeight, k, "Cb");
        checkPlane(p.cr(), chromaWidth, chromaHeight, k, "Cr");
    }

    private static void checkPlane(Plane plane, int w, int h, int k, String which) {
        if (plane.width() != w || plane.height() != h) {
            throw new IllegalArgumentException((k < 0 ? "fused" : "exposure " + k) + " " + which + " plane is "
                    + plane.width() + "x" + plane.height() + " but the session fuses " + w + "x" + h);
        }
    }

    /** Applies the rule; the planes are known to fit the session. */
    protected abstract void fuseChecked(YuvPlanes[] frames, YuvPlanes fused);

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            views.close();
            release();
        }
    }

    /** Frees what the session owns; called once. */
    protected abstract void release();

    protected static void closeAll(AutoCloseable... owned) {
        for (AutoCloseable c : owned) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
