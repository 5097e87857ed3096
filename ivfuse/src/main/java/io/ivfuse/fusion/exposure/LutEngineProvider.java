package io.ivfuse.fusion.exposure;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import java.util.Set;

/**
 * {@code mef-lut}: a fast exposure fusion rule after MEFLUT (Jiang et al., ICCV 2023): per-pixel
 * weights come from look-up tables on a low-resolution copy of each exposure's luminance
 * (well-exposedness of the intensity times a local-contrast term), are normalised, and are
 * brought to full resolution by a fast guided filter (He and Sun 2015) guided by each exposure's
 * luminance, so the weights follow its edges; full resolution then costs a few operations per
 * pixel. Luminance is the weighted mean of the exposures', chroma is blended by |C - 128|.
 *
 * <p>Parameters: {@code scale} (how much smaller the weight maps are on each side, default
 * {@value #DEFAULT_SCALE}) and {@code radius} (the guided filter's radius at that resolution,
 * default {@value #DEFAULT_RADIUS}).
 */
public final class LutEngineProvider extends ExposureEngineProvider {
    public static final String NAME = "mef-lut";
    public static final String SCALE = "scale";
    public static final String RADIUS = "radius";
    public static final int DEFAULT_SCALE = 4;
    public static final int DEFAULT_RADIUS = 4;
    static final int MAX_SCALE = 16;
    static final int MAX_RADIUS = 32;

    public LutEngineProvider() {
        super(NAME, "look-up-table weights at low resolution, guided-filter upsampled (MEFLUT-style)", 10);
    }

    @Override
    public Set<String> parameters() {
        return Set.of(SCALE, RADIUS);
    }

    @Override
    ExposureEngine.SessionFactory sessions(EngineOptions options) {
        int scale = options.intParam(SCALE, DEFAULT_SCALE);
        if (scale < 1 || scale > MAX_SCALE) {
            throw new IvfuseException("engine parameter 'scale' must be between 1 and " + MAX_SCALE + ", got " + scale);
        }
        int radius = options.intParam(RADIUS, DEFAULT_RADIUS);
        if (radius < 1 || radius > MAX_RADIUS) {
            throw new IvfuseException("engine parameter 'radius' must be between 1 and " + MAX_RADIUS + ", got " + radius);
        }
        return (w, h, n, subsampled) -> new LutWeightSession(w, h, n, subsampled, scale, radius);
    }
}
