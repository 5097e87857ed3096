package io.ivfuse.distill;

import io.ivfuse.IvfuseException;
import io.ivfuse.quality.evaluation.PairSet;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the training pairs (visible as the Y of YCrCb, infrared as gray, like the product's image
 * path), with the teacher's targets and superpixel labels computed once per image and cached in
 * the work folder.
 */
final class TrainingData {
    private static final Logger log = LoggerFactory.getLogger(TrainingData.class);
    private static final int CACHE_VERSION = 1;

    private TrainingData() {
    }

    /** The pairs under each folder: the folder itself when it holds ir/ and vis/, else each such sub-folder. */
    static List<PairSet.Pair> pairs(List<Path> folders) {
        List<PairSet.Pair> out = new ArrayList<>();
        for (Path f : folders) {
            if (Files.isDirectory(f.resolve("ir")) && Files.isDirectory(f.resolve("vis"))) {
                out.addAll(prefixed(f, PairSet.scan(f)));
                continue;
            }
            if (!Files.isDirectory(f)) {
                throw new IvfuseException("training folder " + f + " does not exist");
            }
            try (Stream<Path> subs = Files.list(f)) {
                List<Path> seqs = subs.filter(s -> Files.isDirectory(s.resolve("ir")) && Files.isDirectory(s.resolve("vis")))
                        .sorted().toList();
                if (seqs.isEmpty()) {
                    throw new IvfuseException("training folder " + f + " has no ir/ and vis/ folders, nor sub-folders with them");
                }
                for (Path s : seqs) {
                    out.addAll(prefixed(s, PairSet.scan(s)));
                }
            } catch (IOException e) {
                throw new IvfuseException("cannot list training folder " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<PairSet.Pair> prefixed(Path folder, PairSet set) {
        String prefix = folder.getFileName() + "_";
        return set.pairs().stream().map(p -> new PairSet.Pair(prefix + p.name(), p.infrared(), p.visible())).toList();
    }

    /** Loads every pair with targets and labels. {@code teacher} may be null (no teacher targets). */
    static List<TrainingImage> load(List<PairSet.Pair> pairs, Teacher teacher, Path cacheDir, int superpixelSize, int minSide) {
        List<TrainingImage> images = new ArrayList<>();
        long t0 = System.nanoTime();
        int computed = 0;
        for (PairSet.Pair p : pairs) {
            Pixels px = readPair(p);
            int w = px.width();
            int h = px.height();
            if (w < minSide || h < minSide) {
                log.warn("skipping {}: {}x{} is smaller than the crop", p.name(), w, h);
                continue;
            }
            float[] vis = unit(px.visible());
            float[] ir = unit(px.infrared());
            Path cache = cacheDir.resolve(p.name() + (teacher == null ? "" : ".teacher") + ".sp" + superpixelSize + ".bin");
            TrainingImage img = readCache(cache, p.name(), w, h, vis, ir);
            if (img == null) {
                Teacher.Targets t = teacher == null ? null : teacher.run(vis, ir, w, h);
                int[] labels = Superpixels.slic(px.visible(), px.infrared(), w, h, superpixelSize);
                img = t == null
                        ? new TrainingImage(p.name(), w, h, vis, ir, null, null, 0, 0, 0, labels)
                        : new TrainingImage(p.name(), w, h, vis, ir, t.fused(), t.features(), t.channels(),
                                t.featureWidth(), t.featureHeight(), labels);
                writeCache(cache, img);
                computed++;
            }
            images.add(img);
        }
        log.info("training data: {} pairs ({} computed, {} from cache in {}) in {} s", images.size(), computed,
                images.size() - computed, cacheDir, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        if (images.isEmpty()) {
            throw new IvfuseException("no training pair is at least " + minSide + " pixels on each side");
        }
        return images;
    }

    /** 8-bit visible Y and infrared gray of one pair. */
    private record Pixels(byte[] visible, byte[] infrared, int width, int height) {
    }

    private static Pixels readPair(PairSet.Pair p) {
        try (Mat vis = read(p.visible()); Mat ir = read(p.infrared());
             Mat ycrcb = new Mat(); Mat y = new Mat(); Mat gray = new Mat()) {
            if (vis.cols() != ir.cols() || vis.rows() != ir.rows()) {
                throw new IvfuseException("training pair " + p.name() + ": infrared " + ir.cols() + "x" + ir.rows()
                        + " differs from visible " + vis.cols() + "x" + vis.rows());
            }
            opencv_imgproc.cvtColor(vis, ycrcb, opencv_imgproc.COLOR_BGR2YCrCb);
            opencv_core.extractChannel(ycrcb, y, 0);
            opencv_imgproc.cvtColor(ir, gray, opencv_imgproc.COLOR_BGR2GRAY);
            int w = vis.cols();
            int h = vis.rows();
            byte[] vy = new byte[w * h];
            byte[] ig = new byte[w * h];
            y.data().get(vy);
            gray.data().get(ig);
            return new Pixels(vy, ig, w, h);
        }
    }

    private static Mat read(Path file) {
        Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
        if (m == null || m.empty()) {
            throw new IvfuseException("cannot read training image " + file);
        }
        return m;
    }

    private static float[] unit(byte[] b) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = (b[i] & 0xFF) / 255f;
        }
        return f;
    }

    private static TrainingImage readCache(Path file, String name, int w, int h, float[] vis, float[] ir) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != CACHE_VERSION || in.readInt() != w || in.readInt() != h) {
                return null;
            }
            boolean hasTeacher = in.readBoolean();
            float[] teacher = null;
            float[] features = null;
            int c = 0;
            int fw = 0;
            int fh = 0;
            if (hasTeacher) {
                c = in.readInt();
                fw = in.readInt();
                fh = in.readInt();
                teacher = readFloats(in, w * h);
                features = readFloats(in, c * fw * fh);
            }
            int[] labels = new int[w * h];
            ByteBuffer bb = ByteBuffer.wrap(in.readNBytes(4 * w * h)).order(ByteOrder.LITTLE_ENDIAN);
            bb.asIntBuffer().get(labels);
            return new TrainingImage(name, w, h, vis, ir, teacher, features, c, fw, fh, labels);
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable cache {}: {}", file, e.toString());
            return null;
        }
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        float[] out = new float[n];
        ByteBuffer.wrap(in.readNBytes(4 * n)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static void writeCache(Path file, TrainingImage img) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
                out.writeInt(CACHE_VERSION);
                out.writeInt(img.width());
                out.writeInt(img.height());
                out.writeBoolean(img.teacher() != null);
                if (img.teacher() != null) {
                    out.writeInt(img.featureChannels());
                    out.writeInt(img.featureWidth());
                    out.writeInt(img.featureHeight());
                    writeFloats(out, img.teacher());
                    writeFloats(out, img.features());
                }
                ByteBuffer bb = ByteBuffer.allocate(4 * img.labels().length).order(ByteOrder.LITTLE_ENDIAN);
                bb.asIntBuffer().put(img.labels());
                out.write(bb.array());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IvfuseException("cannot write cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        out.write(bb.array());
    }
}
