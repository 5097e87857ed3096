package io.ivfuse.frame;

/**
 * One colour picture as planes: full-range luminance {@code y} and the chroma planes {@code cb},
 * {@code cr} (128 = no colour), either at the luminance size (4:4:4) or halved, rounding up (4:2:0).
 */
public record YuvPlanes(Plane y, Plane cb, Plane cr) {

    public YuvPlanes {
        if (!cb.sameSize(cr)) {
            throw new IllegalArgumentException("chroma planes differ: " + cb + " and " + cr);
        }
        boolean full = cb.sameSize(y);
        boolean half = cb.width() == chromaSide(y.width(), true) && cb.height() == chromaSide(y.height(), true);
        if (!full && !half) {
            throw new IllegalArgumentException("chroma " + cb + " fits neither 4:4:4 nor 4:2:0 of " + y);
        }
    }

    /** New zero-luminance, colourless planes. */
    public static YuvPlanes allocate(int width, int height, boolean subsampledChroma) {
        int cw = chromaSide(width, subsampledChroma);
        int ch = chromaSide(height, subsampledChroma);
        Plane cb = Plane.allocate(cw, ch);
        Plane cr = Plane.allocate(cw, ch);
        cb.fill((byte) 128);
        cr.fill((byte) 128);
        return new YuvPlanes(Plane.allocate(width, height), cb, cr);
    }

    /** The chroma side for a luminance side: the same, or half rounded up when subsampled. */
    public static int chromaSide(int lumaSide, boolean subsampled) {
        return subsampled ? (lumaSide + 1) / 2 : lumaSide;
    }

    public int width() {
        return y.width();
    }

    public int height() {
        return y.height();
    }

    /** Whether the chroma planes are halved (4:2:0) rather than full size; a 1x1 picture counts as 4:4:4. */
    public boolean subsampledChroma() {
        return !cb.sameSize(y);
    }
}
