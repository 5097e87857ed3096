package io.ivfuse.fusion.learned;

/**
 * The padding of a learned engine's input up to the network's size multiple: bottom and right,
 * mirrored without repeating the edge (PyTorch's "reflect"). Also used to pad training images the
 * same way, so students learn on what the engine will feed them.
 */
public final class ReflectionPadding {
    private ReflectionPadding() {
    }

    /** The source index of each of {@code padded} indices over a line of {@code size} values. */
    public static int[] indexMap(int size, int padded) {
        int[] map = new int[padded];
        int period = 2 * (size - 1);
        for (int i = 0; i < padded; i++) {
            if (size == 1) {
                map[i] = 0;
            } else {
                int r = i % period;
                map[i] = r < size ? r : period - r;
            }
        }
        return map;
    }
}
