package io.ivfuse.distill;

import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;

/**
 * Draws batches of random square crops (origins on the 4-pixel grid, so teacher features line up)
 * from a fixed seed. With {@code swapSources}, half of the crops (at random) give their visible
 * image as infrared and the reverse, so that a student learns a rule that is the same for both
 * inputs (which one carries more in a region) rather than the training cameras' habits.
 */
final class CropSampler {

    /**
     * One batch. {@code regions}: per pixel (flattened over the batch) its superpixel index in
     * [0, regionCount), distinct across crops; {@code regionSizes}: pixels per region.
     */
    record Batch(Tensor visible, Tensor infrared, Tensor teacher, Tensor features, Tensor regions,
                 Tensor regionSizes, int regionCount) {
    }

    private final List<TrainingImage> images;
    private final int crop;
    private final boolean swapSources;
    private final Random random;
    private final Brackets brackets;

    CropSampler(List<TrainingImage> images, int crop, boolean swapSources, long seed) {
        this(images, crop, swapSources, null, seed);
    }

    /**
     * With {@code brackets} (mode mef) each crop's two inputs are a synthetic under- and
     * over-exposure of its visible image (in {@code visible}, {@code infrared} order), instead of
     * the pair's visible and infrared.
     */
    CropSampler(List<TrainingImage> images, int crop, boolean swapSources, Brackets brackets, long seed) {
        this.images = images;
        this.crop = crop;
        this.swapSources = swapSources;
        this.brackets = brackets;
        this.random = new Random(seed);
    }

    private final java.util.IdentityHashMap<TrainingImage, Integer> labelCounts = new java.util.IdentityHashMap<>();

    /** A cleared table with a slot per label of {@code img}. */
    private int[] labelTable(int[] table, TrainingImage img) {
        int count = labelCounts.computeIfAbsent(img, i -> java.util.Arrays.stream(i.labels()).max().orElse(0) + 1);
        if (table.length < count) {
            return new int[count];
        }
        java.util.Arrays.fill(table, 0);
        return table;
    }

    Batch next(int batch) {
        int s = crop;
        int n = s * s;
        float[] vis = new float[batch * n];
        float[] ir = new float[batch * n];
        TrainingImage first = images.get(0);
        boolean teacher = first.teacher() != null;
        int c = first.featureChannels();
        int fs = s / 4;
        float[] t = teacher ? new float[batch * n] : null;
        float[] f = teacher ? new float[batch * c * fs * fs] : null;
        long[] regions = new long[batch * n];
        int regionCount = 0;
        int[] local = new int[0]; // image label -> batch region id + 1 (0: not seen in this crop)
        float[] sizes = new float[batch * n]; // upper bound on the region count
        for (int b = 0; b < batch; b++) {
            TrainingImage img = images.get(random.nextInt(images.size()));
            int x0 = random.nextInt((img.width() - s) / 4 + 1) * 4;
            int y0 = random.nextInt((img.height() - s) / 4 + 1) * 4;
            local = labelTable(local, img);
            boolean swap = swapSources && random.nextBoolean();
            float[] visSource = swap ? img.infrared() : img.visible();
            float[] irSource = swap ? img.visible() : img.infrared();
            for (int y = 0; y < s; y++) {
                int src = (y0 + y) * img.width() + x0;
                System.arraycopy(visSource, src, vis, b * n + y * s, s);
                System.arraycopy(irSource, src, ir, b * n + y * s, s);
                if (teacher) {
                    System.arraycopy(img.teacher(), src, t, b * n + y * s, s);
                }
                if (brackets != null) {
                    System.arraycopy(img.visible(), src, ir, b * n + y * s, s); // the picture, bracketed below
                }
                for (int x = 0; x < s; x++) {
                    int label = img.labels()[src + x];
                    int id = local[label] - 1;
                    if (id < 0) {
                        id = regionCount++;
                        local[label] = id + 1;
                    }
                    regions[b * n + y * s + x] = id;
                    sizes[id]++;
                }
            }
            if (brackets != null) {
                brackets.make(ir, b * n, swap ? ir : vis, swap ? vis : ir, b * n, n);
            }
            if (teacher) {
                int fw = img.featureWidth();
                int fh = img.featureHeight();
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < fs; y++) {
                        System.arraycopy(img.features(), ch * fw * fh + (y0 / 4 + y) * fw + x0 / 4,
                                f, ((b * c + ch) * fs + y) * fs, fs);
                    }
                }
            }
        }
        float[] regionSizes = java.util.Arrays.copyOf(sizes, regionCount);
        return new Batch(Tensors.of(vis, batch, 1, s, s), Tensors.of(ir, batch, 1, s, s),
                teacher ? Tensors.of(t, batch, 1, s, s) : null,
                teacher ? Tensors.of(f, batch, c, fs, fs) : null,
                Tensors.ofLongs(regions, (long) batch * n), Tensors.of(regionSizes, regionCount), regionCount);
    }
}
