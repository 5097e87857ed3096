package io.ivfuse.fusion.exposure;

import io.ivfuse.fusion.EngineOptions;

/**
 * {@code mertens}: exposure fusion of Mertens, Kautz and Van Reeth (2007) by OpenCV's
 * MergeMertens with contrast, saturation and well-exposedness all weighted 1, as in the paper
 * (OpenCV's default exposure weight is 0, which drops the well-exposedness term). It fuses the
 * colour images themselves (saturation needs colour): the classical baseline of multi-exposure
 * fusion.
 */
public final class MertensEngineProvider extends ExposureEngineProvider {
    public static final String NAME = "mertens";

    public MertensEngineProvider() {
        super(NAME, "Mertens exposure fusion (OpenCV MergeMertens, weights 1, 1, 1), Laplacian-pyramid blend", 20);
    }

    @Override
    ExposureEngine.SessionFactory sessions(EngineOptions options) {
        return MertensSession::new;
    }
}
