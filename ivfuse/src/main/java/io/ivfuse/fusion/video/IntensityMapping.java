package io.ivfuse.fusion.video;

import java.util.Arrays;

/**
 * The intensity mapping function between two exposures of one scene, as a 256-entry table, by
 * cumulative histogram matching: level v of one exposure maps to the level of the other at the same
 * rank, IMF = H_to^-1(H_from(v)). Grossberg and Nayar (Determining the camera response from images:
 * what is knowable?, PAMI 2003) show that this recovers the IMF of a monotone camera response
 * without registration, and that small motion barely moves it, which is what lets a mask find the
 * pixels that do move. Buffers are made once.
 */
final class IntensityMapping {
    private final int[] histFrom = new int[256];
    private final int[] histTo = new int[256];
    private final int[] table = new int[256];

    /** Fits the mapping from {@code from}'s levels to {@code to}'s, both of {@code n} pixels. */
    void fit(byte[] from, byte[] to, int n) {
        Arrays.fill(histFrom, 0);
        Arrays.fill(histTo, 0);
        for (int i = 0; i < n; i++) {
            histFrom[from[i] & 0xFF]++;
            histTo[to[i] & 0xFF]++;
        }
        // Level v covers ranks [below, below + hist[v]): it maps to the level of `to` holding its
        // middle rank (doubled to stay in integers).
        long below = 0;
        int u = 0;
        long toUpTo = histTo[0];
        for (int v = 0; v < 256; v++) {
            long middle2 = 2 * below + histFrom[v];
            // (a level above every sample maps to the highest level seen, not past it)
            while (u < 255 && 2 * toUpTo <= middle2 && toUpTo < n) {
                u++;
                toUpTo += histTo[u];
            }
            table[v] = u;
            below += histFrom[v];
        }
    }

    /** The table as bytes, for OpenCV's LUT. */
    void copyTo(byte[] into) {
        for (int v = 0; v < 256; v++) {
            into[v] = (byte) table[v];
        }
    }

    /** The mapped level of {@code v} (0..255). */
    int map(int v) {
        return table[v];
    }
}
