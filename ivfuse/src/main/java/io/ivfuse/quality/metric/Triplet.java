package io.ivfuse.quality.metric;

/**
 * The three images one evaluation compares (infrared, visible, fused, all the same size) and the
 * gray planes the metrics take from them, so that metrics computed on the same triplet share the
 * work they have in common. {@link #sources} evaluates several fused images against the same
 * sources and keeps what was derived from them. Thread-safe.
 *
 * <p>For multi-exposure fusion ({@link Convention#MEFB}) the two sources are the under-exposure
 * (in the infrared place) and the over-exposure (in the visible place): see {@link #exposures}.
 */
public final class Triplet {
    private final Views infrared;
    private final Views visible;
    private final Views fused;

    public Triplet(MetricImage infrared, MetricImage visible, MetricImage fused) {
        this(new Views(infrared), new Views(visible), new Views(fused));
    }

    private Triplet(Views infrared, Views visible, Views fused) {
        MetricImage ir = infrared.image;
        MetricImage vis = visible.image;
        MetricImage f = fused.image;
        if (!ir.sameSize(f) || !vis.sameSize(f)) {
            throw new IllegalArgumentException("image sizes differ: infrared " + ir.width() + "x" + ir.height()
                    + ", visible " + vis.width() + "x" + vis.height() + ", fused " + f.width() + "x" + f.height());
        }
        this.infrared = infrared;
        this.visible = visible;
        this.fused = fused;
    }

    /** The sources of multi-exposure fusion: the darker exposure first. */
    public static Sources exposures(MetricImage under, MetricImage over) {
        return sources(under, over);
    }

    /** Two sources to evaluate several fused images against: their triplets share what is derived from the sources. */
    public static Sources sources(MetricImage infrared, MetricImage visible) {
        return new Sources(new Views(infrared), new Views(visible));
    }

    /** See {@link #sources}. Thread-safe: triplets of the same sources may be evaluated in parallel. */
    public static final class Sources {
        private final Views infrared;
        private final Views visible;

        private Sources(Views infrared, Views visible) {
            this.infrared = infrared;
            this.visible = visible;
        }

        public Triplet with(MetricImage fused) {
            return new Triplet(infrared, visible, new Views(fused));
        }
    }

    public MetricImage infrared() {
        return infrared.image;
    }

    public MetricImage visible() {
        return visible.image;
    }

    public MetricImage fused() {
        return fused.image;
    }

    Views infraredViews() {
        return infrared;
    }

    Views visibleViews() {
        return visible;
    }

    /** The under-exposure's views (multi-exposure triplets). */
    Views underViews() {
        return infrared;
    }

    /** The over-exposure's views (multi-exposure triplets). */
    Views overViews() {
        return visible;
    }

    Views fusedViews() {
        return fused;
    }

    /** The gray planes of one image: its channels and its conversions to gray, each made once. */
    static final class Views {
        private static final int MATLAB_ROUNDED = 3;
        private static final int MATLAB_UNROUNDED = 4;
        private static final int OPENCV_ROUNDED = 5;

        final MetricImage image;
        private final GrayPlane[] planes = new GrayPlane[6];

        Views(MetricImage image) {
            this.image = image;
        }

        /** Channel k of a colour image; the image itself when gray. */
        GrayPlane channel(int k) {
            return image.isColour() ? plane(k) : plane(0);
        }

        /** MATLAB rgb2gray, rounded or not (see {@link GrayConversion#matlabRgb2Gray}); the image itself when gray. */
        GrayPlane matlabGray(boolean rounded) {
            return image.isColour() ? plane(rounded ? MATLAB_ROUNDED : MATLAB_UNROUNDED) : plane(0);
        }

        /** OpenCV BGR2GRAY in float, rounded; the image itself when gray. */
        GrayPlane opencvGray() {
            return image.isColour() ? plane(OPENCV_ROUNDED) : plane(0);
        }

        private synchronized GrayPlane plane(int kind) {
            if (planes[kind] == null) {
                double[] samples = switch (kind) {
                    case MATLAB_ROUNDED -> GrayConversion.matlabRgb2Gray(image, true);
                    case MATLAB_UNROUNDED -> GrayConversion.matlabRgb2Gray(image, false);
                    case OPENCV_ROUNDED -> GrayConversion.opencvFloatGrayRounded(image);
                    default -> image.channel(kind);
                };
                planes[kind] = new GrayPlane(samples, image.width(), image.height());
            }
            return planes[kind];
        }
    }
}
