package io.ivfuse.fusion.video;

import io.ivfuse.frame.Plane;
import io.ivfuse.frame.YuvPlanes;
import java.util.Random;

/**
 * Synthetic exposure video for the ghost and smoothing tests and benchmarks/MefVideo.java: a clean
 * scene (display-referred, gamma 2.2) is exposed by a gain in linear light, re-encoded, given
 * sensor noise and clipped to 8 bits; chroma is kept, and goes grey where the luma clips. A
 * textured square can be pasted into the scene to move it.
 */
public final class BracketedScenes {
    static final double GAMMA = 2.2;

    private BracketedScenes() {
    }

    /** A still scene without shared data: gradient, checker, smooth colour. */
    public static YuvPlanes pattern(int w, int h) {
        YuvPlanes p = YuvPlanes.allocate(w, h, true);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 40 + x * 140 / w + ((x / 10 + y / 10) % 2) * 24 + (y * 20 / h);
                p.y().set(x, y, Math.min(255, v));
            }
        }
        for (int y = 0; y < p.cb().height(); y++) {
            for (int x = 0; x < p.cb().width(); x++) {
                p.cb().set(x, y, 112 + x * 32 / p.cb().width());
                p.cr().set(x, y, 144 - y * 32 / p.cb().height());
            }
        }
        return p;
    }

    /** Copies {@code from} into {@code to} (same size and layout). */
    public static void copy(YuvPlanes from, YuvPlanes to) {
        to.y().copyFrom(from.y());
        to.cb().copyFrom(from.cb());
        to.cr().copyFrom(from.cr());
    }

    /** Pastes a diagonally striped square of side {@code side} at (x0, y0), a colour of its own. */
    public static void pasteObject(YuvPlanes scene, int x0, int y0, int side) {
        for (int y = Math.max(0, y0); y < Math.min(scene.height(), y0 + side); y++) {
            for (int x = Math.max(0, x0); x < Math.min(scene.width(), x0 + side); x++) {
                scene.y().set(x, y, ((x - x0 + y - y0) / 6) % 2 == 0 ? 210 : 120);
            }
        }
        int sx = scene.width() / scene.cb().width();
        int sy = scene.height() / scene.cb().height();
        for (int y = Math.max(0, y0 / sy); y < Math.min(scene.cb().height(), (y0 + side) / sy); y++) {
            for (int x = Math.max(0, x0 / sx); x < Math.min(scene.cb().width(), (x0 + side) / sx); x++) {
                scene.cb().set(x, y, 90);
                scene.cr().set(x, y, 170);
            }
        }
    }

    /**
     * {@code scene} exposed {@code gain} times brighter in linear light, with Gaussian noise of
     * {@code noise} gray levels, into {@code out}.
     */
    public static void expose(YuvPlanes scene, double gain, double noise, Random random, YuvPlanes out) {
        int[] table = table(gain);
        Plane in = scene.y();
        for (int y = 0; y < in.height(); y++) {
            for (int x = 0; x < in.width(); x++) {
                int v = table[in.get(x, y)] + (noise > 0 ? (int) Math.round(random.nextGaussian() * noise) : 0);
                out.y().set(x, y, Math.max(0, Math.min(255, v)));
            }
        }
        int sx = in.width() / scene.cb().width();
        int sy = in.height() / scene.cb().height();
        for (int y = 0; y < scene.cb().height(); y++) {
            for (int x = 0; x < scene.cb().width(); x++) {
                boolean clipped = table[in.get(Math.min(in.width() - 1, x * sx), Math.min(in.height() - 1, y * sy))] >= 255;
                out.cb().set(x, y, clipped ? 128 : scene.cb().get(x, y));
                out.cr().set(x, y, clipped ? 128 : scene.cr().get(x, y));
            }
        }
    }

    private static int[] table(double gain) {
        int[] t = new int[256];
        for (int v = 0; v < 256; v++) {
            double linear = Math.pow(v / 255.0, GAMMA) * gain;
            t[v] = (int) Math.round(255 * Math.pow(Math.min(1, linear), 1 / GAMMA));
        }
        return t;
    }

    /** Mean |a - b| over the rectangle [x0, x1) x [y0, y1) of two planes. */
    public static double meanAbsDiff(Plane a, Plane b, int x0, int y0, int x1, int y1) {
        long s = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s += Math.abs(a.get(x, y) - b.get(x, y));
            }
        }
        return (double) s / ((long) (x1 - x0) * (y1 - y0));
    }
}
