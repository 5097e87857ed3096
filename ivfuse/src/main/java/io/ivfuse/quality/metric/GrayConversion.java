package io.ivfuse.quality.metric;

/** The colour-to-gray conversions of the two reference implementations. */
public final class GrayConversion {
    // MATLAB rgb2gray: the first row of inv(NTSC matrix), documented as 0.2989, 0.5870, 0.1140.
    private static final double MATLAB_R = 0.298936021293775;
    private static final double MATLAB_G = 0.587043074451121;
    private static final double MATLAB_B = 0.114020904255103;

    private GrayConversion() {
    }

    /**
     * MATLAB {@code rgb2gray}. On uint8 input MATLAB rounds (half away from zero); on double input it
     * does not, and the VIFB code calls it on both, so the caller says which.
     */
    public static double[] matlabRgb2Gray(MetricImage img, boolean rounded) {
        if (!img.isColour()) {
            return img.plane();
        }
        double[] r = img.channel(0);
        double[] g = img.channel(1);
        double[] b = img.channel(2);
        double[] out = new double[r.length];
        for (int i = 0; i < out.length; i++) {
            double v = MATLAB_R * r[i] + MATLAB_G * g[i] + MATLAB_B * b[i];
            out[i] = rounded ? Math.min(255, Math.floor(v + 0.5)) : v;
        }
        return out;
    }

    /**
     * What the CDDFuse evaluator does: {@code cv2.cvtColor(BGR2GRAY)} on a float32 image, then
     * {@code np.round} (half to even). Arithmetic in float32 as OpenCV does.
     */
    public static double[] opencvFloatGrayRounded(MetricImage img) {
        if (!img.isColour()) {
            return img.plane();
        }
        double[] r = img.channel(0);
        double[] g = img.channel(1);
        double[] b = img.channel(2);
        double[] out = new double[r.length];
        for (int i = 0; i < out.length; i++) {
            float v = (float) b[i] * 0.114f + (float) g[i] * 0.587f + (float) r[i] * 0.299f;
            out[i] = Math.rint(v);
        }
        return out;
    }
}
