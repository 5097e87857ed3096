package io.ivfuse.quality.metric;

import java.util.Arrays;

/**
 * An image as the metrics see it: {@code width} x {@code height} samples per channel, row-major,
 * values on the 8-bit scale (0..255) exactly as read from disk. One channel (gray) or three
 * (R, G, B in that order).
 */
public record MetricImage(int width, int height, double[][] channels) {

    public MetricImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height);
        }
        if (channels.length != 1 && channels.length != 3) {
            throw new IllegalArgumentException("images have 1 or 3 channels, got " + channels.length);
        }
        for (double[] c : channels) {
            if (c.length != width * height) {
                throw new IllegalArgumentException("channel of " + c.length + " samples for " + width + "x" + height);
            }
        }
    }

    public static MetricImage gray(int width, int height, double[] samples) {
        return new MetricImage(width, height, new double[][] {samples});
    }

    /** A gray image from packed unsigned bytes. */
    public static MetricImage gray(int width, int height, byte[] packed) {
        double[] d = new double[packed.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = packed[i] & 0xFF;
        }
        return gray(width, height, d);
    }

    public boolean isColour() {
        return channels.length == 3;
    }

    public int pixels() {
        return width * height;
    }

    public double[] channel(int k) {
        return channels[k];
    }

    public boolean sameSize(MetricImage o) {
        return width == o.width && height == o.height;
    }

    /** The only channel of a gray image; throws for colour. */
    public double[] plane() {
        if (isColour()) {
            throw new IllegalStateException("colour image where a gray one is needed");
        }
        return channels[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricImage m && m.width == width && m.height == height
                && Arrays.deepEquals(m.channels, channels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.deepHashCode(channels);
    }

    @Override
    public String toString() {
        return "MetricImage[" + width + "x" + height + "x" + channels.length + "]";
    }
}
