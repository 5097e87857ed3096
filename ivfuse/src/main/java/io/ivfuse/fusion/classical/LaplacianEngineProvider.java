package io.ivfuse.fusion.classical;

import io.ivfuse.IvfuseException;
import io.ivfuse.fusion.EngineOptions;
import java.util.Set;

/**
 * {@code laplacian}: multi-scale Laplacian-pyramid fusion (Burt &amp; Adelson). Both planes are
 * decomposed into Laplacian pyramids; at each detail level the coefficient whose local activity
 * (mean absolute value over a {@code window} x {@code window} neighbourhood) is larger wins, the
 * coarsest (Gaussian) level is averaged, and the fused pyramid is collapsed and saturated to 8
 * bits. Edges present in either source survive with most of their contrast.
 *
 * <p>Parameters: {@code levels} (pyramid levels, the full-resolution one included; default
 * {@value #DEFAULT_LEVELS}, reduced automatically so that the coarsest level keeps at least 4
 * pixels on its shorter side) and {@code window} (odd activity window, default
 * {@value #DEFAULT_WINDOW}; 1 compares single coefficients).
 */
public final class LaplacianEngineProvider extends ClassicalEngineProvider {
    public static final String NAME = "laplacian";
    public static final String LEVELS = "levels";
    public static final String WINDOW = "window";
    public static final int DEFAULT_LEVELS = 4;
    public static final int MAX_LEVELS = 12;
    public static final int DEFAULT_WINDOW = 3;
    public static final int MAX_WINDOW = 15;

    public LaplacianEngineProvider() {
        super(NAME, "Laplacian pyramid: detail levels by max local |coefficient|, coarsest level averaged", 20);
    }

    @Override
    public Set<String> parameters() {
        return Set.of(LEVELS, WINDOW);
    }

    @Override
    ClassicalEngine.SessionFactory sessions(EngineOptions options) {
        int levels = options.intParam(LEVELS, DEFAULT_LEVELS);
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IvfuseException("engine parameter 'levels' must be between 1 and " + MAX_LEVELS
                    + ", got " + levels);
        }
        int window = options.intParam(WINDOW, DEFAULT_WINDOW);
        if (window < 1 || window > MAX_WINDOW || window % 2 == 0) {
            throw new IvfuseException("engine parameter 'window' must be an odd number between 1 and "
                    + MAX_WINDOW + ", got " + window);
        }
        return (w, h) -> new LaplacianPyramidSession(w, h, levels, window);
    }
}
