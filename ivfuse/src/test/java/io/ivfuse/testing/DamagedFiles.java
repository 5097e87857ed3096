package io.ivfuse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Damaged copies of clean video files, for the fuzz corpus: truncations, bit flips, zeroed,
 * duplicated, deleted and swapped blocks, header damage, and damage that follows the container's
 * structure (MP4 boxes, Matroska clusters, MPEG-TS packets, AVI chunks). Deterministic: the same
 * clean file and seed give the same damaged files, byte for byte.
 */
public final class DamagedFiles {

    /** One damaged file: where it is, the clean file it came from, and what was done to it. */
    public record Damaged(Path file, Path clean, String damage) {
        @Override
        public String toString() {
            return file.getFileName() + " (" + damage + " of " + clean.getFileName() + ")";
        }
    }

    /** A named way to damage a file's bytes; null when it does not apply to this file. */
    private record Damage(String name, Function<byte[], byte[]> apply) {
    }

    private DamagedFiles() {
    }

    /**
     * Writes the damaged variants of {@code clean} into {@code dir}, named {@code <clean>-<nn>-<damage>.<ext>}.
     * The seed and the clean file's name decide every random choice.
     */
    public static List<Damaged> of(Path clean, Path dir, long seed) {
        return write(clean, dir, seed, true);
    }

    /** As {@link #of}, only the damage that ignores the container's structure. */
    public static List<Damaged> generic(Path clean, Path dir, long seed) {
        return write(clean, dir, seed, false);
    }

    private static List<Damaged> write(Path clean, Path dir, long seed, boolean structural) {
        byte[] bytes = read(clean);
        String name = clean.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = name.substring(0, dot);
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        Random random = new Random(seed ^ name.hashCode());
        List<Damage> damages = new ArrayList<>(generic(bytes.length, random));
        if (structural) {
            damages.addAll(switch (ext) {
                case "mp4", "mov" -> mp4(random);
                case "mkv" -> matroska(random);
                case "ts" -> mpegTs(random);
                case "avi" -> avi(random);
                default -> List.of();
            });
        }
        List<Damaged> out = new ArrayList<>();
        int n = 0;
        for (Damage d : damages) {
            byte[] damaged = d.apply.apply(bytes.clone());
            if (damaged == null || Arrays.equals(damaged, bytes)) {
                continue; // the structure it needs is not in this file
            }
            Path file = dir.resolve(String.format("%s-%02d-%s.%s", base, n++, d.name, ext));
            write(file, damaged);
            out.add(new Damaged(file, clean, d.name));
        }
        return out;
    }

    /**
     * {@code first} and {@code second} joined byte for byte into {@code out} (for MPEG-TS: one
     * stream whose pictures change size midway, as when a recorder changes resolution).
     */
    public static Damaged joined(Path first, Path second, Path out) {
        byte[] a = read(first);
        byte[] b = read(second);
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        write(out, both);
        return new Damaged(out, first, "joined with " + second.getFileName());
    }

    private static List<Damage> generic(int size, Random r) {
        List<Damage> d = new ArrayList<>();
        for (double f : new double[] {0.03, 0.2, 0.5, 0.8, 0.97}) {
            d.add(new Damage("truncated-at-" + Math.round(f * 100) + "pct", b -> Arrays.copyOf(b, (int) (b.length * f))));
        }
        d.add(new Damage("truncated-at-64-bytes", b -> Arrays.copyOf(b, 64)));
        d.add(flips("1-bit-flip", 1, r.nextLong(), 0.1, 0.9));
        d.add(flips("16-bit-flips", 16, r.nextLong(), 0.1, 0.9));
        d.add(flips("256-bit-flips", 256, r.nextLong(), 0.05, 1.0));
        d.add(flips("8-bit-flips-in-first-4KiB", 8, r.nextLong(), 0, Math.min(1.0, 4096.0 / size)));
        d.add(zeroed("zeroed-512-bytes", 512, at(r, size)));
        d.add(zeroed("zeroed-16KiB", 16384, at(r, size)));
        d.add(zeroed("zeroed-first-64-bytes", 64, 0));
        int dup = at(r, size);
        d.add(new Damage("duplicated-4KiB", b -> splice(b, dup, 0, Arrays.copyOfRange(b, dup, Math.min(b.length, dup + 4096)))));
        int del = at(r, size);
        d.add(new Damage("deleted-4KiB", b -> splice(b, del, Math.min(4096, b.length - del), new byte[0])));
        long garbageSeed = r.nextLong();
        int garbageAt = at(r, size);
        d.add(new Damage("random-8KiB", b -> {
            byte[] g = new byte[Math.min(8192, b.length - garbageAt)];
            new Random(garbageSeed).nextBytes(g);
            System.arraycopy(g, 0, b, garbageAt, g.length);
            return b;
        }));
        int x = at(r, size / 2);
        int y = size / 2 + at(r, size / 2);
        d.add(new Damage("swapped-4KiB-blocks", b -> swap(b, x, Math.min(4096, y - x), y, Math.min(4096, b.length - y))));
        return d;
    }

    /** Offset in the middle 90% of a file of this size. */
    private static int at(Random r, int size) {
        return size / 20 + r.nextInt(Math.max(1, size * 9 / 10 - 4096));
    }

    private static Damage flips(String name, int count, long seed, double from, double to) {
        return new Damage(name, b -> {
            Random r = new Random(seed);
            int lo = (int) (b.length * from);
            int span = Math.max(1, (int) (b.length * to) - lo);
            for (int i = 0; i < count; i++) {
                b[lo + r.nextInt(span)] ^= (byte) (1 << r.nextInt(8));
            }
            return b;
        });
    }

    private static Damage zeroed(String name, int length, int offset) {
        return new Damage(name, b -> {
            Arrays.fill(b, offset, Math.min(b.length, offset + length), (byte) 0);
            return b;
        });
    }

    // ---- MP4 (ISO BMFF) boxes ----

    /** A box: where its header starts, its whole length, and its type. */
    private record Box(int start, int length, String type) {
        int end() {
            return start + length;
        }
    }

    /** The boxes found in {@code [from, to)}; stops at the first size that doesn't fit. */
    private static List<Box> boxes(byte[] b, int from, int to) {
        List<Box> list = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            long size = ByteBuffer.wrap(b, p, 4).getInt() & 0xffffffffL;
            int header = 8;
            if (size == 1 && p + 16 <= to) {
                size = ByteBuffer.wrap(b, p + 8, 8).getLong();
                header = 16;
            } else if (size == 0) {
                size = to - p;
            }
            if (size < header || p + size > to) {
                break;
            }
            list.add(new Box(p, (int) size, new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1)));
            p += (int) size;
        }
        return list;
    }

    /** The first box of {@code type} at any depth under the container boxes. */
    private static Box find(byte[] b, String type) {
        return find(b, 0, b.length, type);
    }

    private static Box find(byte[] b, int from, int to, String type) {
        for (Box box : boxes(b, from, to)) {
            if (box.type.equals(type)) {
                return box;
            }
            if (List.of("moov", "trak", "mdia", "minf", "stbl", "moof", "traf", "edts", "dinf").contains(box.type)) {
                Box inner = find(b, box.start + 8, box.end(), type);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static List<Box> topLevel(byte[] b, String type) {
        return boxes(b, 0, b.length).stream().filter(x -> x.type.equals(type)).toList();
    }

    private static List<Damage> mp4(Random r) {
        List<Damage> d = new ArrayList<>();
        d.add(new Damage("mp4-first-two-boxes-swapped", b -> {
            List<Box> top = boxes(b, 0, b.length);
            return top.size() < 2 ? null : swap(b, top.get(0), top.get(1));
        }));
        d.add(new Damage("mp4-moov-and-mdat-swapped", b -> {
            Box moov = first(topLevel(b, "moov"));
            Box mdat = first(topLevel(b, "mdat"));
            return moov == null || mdat == null ? null
                    : moov.start < mdat.start ? swap(b, moov, mdat) : swap(b, mdat, moov);
        }));
        d.add(new Damage("mp4-moov-duplicated", b -> {
            Box moov = first(topLevel(b, "moov"));
            return moov == null ? null : splice(b, moov.end(), 0, Arrays.copyOfRange(b, moov.start, moov.end()));
        }));
        d.add(new Damage("mp4-moov-removed", b -> {
            Box moov = first(topLevel(b, "moov"));
            return moov == null ? null : splice(b, moov.start, moov.length, new byte[0]);
        }));
        d.add(new Damage("mp4-mdat-size-huge", b -> {
            Box mdat = first(topLevel(b, "mdat"));
            return mdat == null ? null : putInt(b, mdat.start, 0x7fffff00);
        }));
        d.add(new Damage("mp4-first-box-size-zero", b -> putInt(b, 0, 0)));
        for (String table : new String[] {"stsz", "stco", "stts", "stsc", "stss"}) {
            d.add(new Damage("mp4-" + table + "-zeroed", b -> {
                Box t = find(b, table);
                if (t == null) {
                    return null;
                }
                Arrays.fill(b, t.start + 8, t.end(), (byte) 0);
                return b;
            }));
        }
        d.add(new Damage("mp4-stsz-entries-shuffled", b -> {
            Box t = find(b, "stsz");
            if (t == null || t.length < 28) {
                return null;
            }
            // version/flags, sample_size, sample_count, then one 4-byte size per sample
            int first = t.start + 20;
            int entries = (t.end() - first) / 4;
            Random shuffle = new Random(entries);
            for (int i = entries - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                exchange(b, first + 4 * i, first + 4 * j, 4);
            }
            return b;
        }));
        d.add(new Damage("mp4-track-type-renamed", b -> {
            Box hdlr = find(b, "hdlr");
            if (hdlr == null) {
                return null;
            }
            b[hdlr.start + 16] = 'x'; // handler_type "vide" -> "xide"
            return b;
        }));
        d.add(new Damage("mp4-fragment-removed", b -> {
            List<Box> moofs = topLevel(b, "moof");
            return moofs.size() < 2 ? null : splice(b, moofs.get(1).start, nextTop(b, moofs.get(1)).end() - moofs.get(1).start,
                    new byte[0]);
        }));
        d.add(new Damage("mp4-fragments-swapped", b -> {
            List<Box> moofs = topLevel(b, "moof");
            if (moofs.size() < 3) {
                return null;
            }
            Box a = new Box(moofs.get(0).start, moofs.get(1).start - moofs.get(0).start, "frag");
            Box c = new Box(moofs.get(1).start, moofs.get(2).start - moofs.get(1).start, "frag");
            return swap(b, a, c);
        }));
        d.add(new Damage("mp4-fragment-duplicated", b -> {
            List<Box> moofs = topLevel(b, "moof");
            if (moofs.size() < 2) {
                return null;
            }
            int from = moofs.get(0).start;
            int to = moofs.get(1).start;
            return splice(b, to, 0, Arrays.copyOfRange(b, from, to));
        }));
        return d;
    }

    private static Box nextTop(byte[] b, Box box) {
        List<Box> top = boxes(b, 0, b.length);
        int i = top.indexOf(box);
        return i + 1 < top.size() ? top.get(i + 1) : box;
    }

    private static Box first(List<Box> boxes) {
        return boxes.isEmpty() ? null : boxes.get(0);
    }

    // ---- Matroska ----

    private static final byte[] CLUSTER = {0x1f, 0x43, (byte) 0xb6, 0x75};
    private static final byte[] SEGMENT = {0x18, 0x53, (byte) 0x80, 0x67};

    private static List<Integer> occurrences(byte[] b, byte[] id) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i + id.length <= b.length; i++) {
            if (b[i] == id[0] && Arrays.equals(b, i, i + id.length, id, 0, id.length)) {
                at.add(i);
            }
        }
        return at;
    }

    private static List<Damage> matroska(Random r) {
        List<Damage> d = new ArrayList<>();
        d.add(new Damage("mkv-ebml-header-zeroed", b -> {
            Arrays.fill(b, 0, Math.min(b.length, 40), (byte) 0);
            return b;
        }));
        d.add(new Damage("mkv-segment-size-flipped", b -> {
            List<Integer> s = occurrences(b, SEGMENT);
            if (s.isEmpty()) {
                return null;
            }
            b[s.get(0) + 5] ^= 0x5a;
            return b;
        }));
        d.add(new Damage("mkv-cluster-removed", b -> {
            List<Integer> c = occurrences(b, CLUSTER);
            return c.size() < 2 ? null : splice(b, c.get(0), c.get(1) - c.get(0), new byte[0]);
        }));
        d.add(new Damage("mkv-cluster-duplicated", b -> {
            List<Integer> c = occurrences(b, CLUSTER);
            return c.size() < 2 ? null : splice(b, c.get(1), 0, Arrays.copyOfRange(b, c.get(0), c.get(1)));
        }));
        d.add(new Damage("mkv-clusters-swapped", b -> {
            List<Integer> c = occurrences(b, CLUSTER);
            return c.size() < 3 ? null : swap(b, new Box(c.get(0), c.get(1) - c.get(0), "c"), new Box(c.get(1), c.get(2) - c.get(1), "c"));
        }));
        d.add(new Damage("mkv-cluster-ids-zeroed", b -> {
            List<Integer> c = occurrences(b, CLUSTER);
            if (c.isEmpty()) {
                return null;
            }
            for (int at : c) {
                Arrays.fill(b, at, at + 4, (byte) 0);
            }
            return b;
        }));
        return d;
    }

    // ---- MPEG-TS ----

    private static final int TS_PACKET = 188;

    private static List<Damage> mpegTs(Random r) {
        List<Damage> d = new ArrayList<>();
        d.add(new Damage("ts-every-7th-packet-dropped", b -> {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
            for (int p = 0, i = 0; p + TS_PACKET <= b.length; p += TS_PACKET, i++) {
                if (i % 7 != 3) {
                    out.write(b, p, TS_PACKET);
                }
            }
            return out.toByteArray();
        }));
        long syncSeed = r.nextLong();
        d.add(new Damage("ts-sync-bytes-corrupted", b -> {
            Random s = new Random(syncSeed);
            int packets = b.length / TS_PACKET;
            for (int i = 0; i < 40; i++) {
                b[s.nextInt(packets) * TS_PACKET] = 0x00;
            }
            return b;
        }));
        d.add(new Damage("ts-pat-pmt-zeroed", b -> {
            // the first packets carry the PAT and PMT
            Arrays.fill(b, 0, Math.min(b.length, 2 * TS_PACKET), (byte) 0);
            return b;
        }));
        d.add(new Damage("ts-packets-reversed-in-the-middle", b -> {
            int packets = b.length / TS_PACKET;
            for (int i = packets / 3, j = packets / 3 + 60; i < j; i++, j--) {
                exchange(b, i * TS_PACKET, j * TS_PACKET, TS_PACKET);
            }
            return b;
        }));
        return d;
    }

    // ---- AVI (RIFF) ----

    private static List<Damage> avi(Random r) {
        List<Damage> d = new ArrayList<>();
        d.add(new Damage("avi-index-zeroed", b -> {
            List<Integer> idx = occurrences(b, "idx1".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            if (idx.isEmpty()) {
                return null;
            }
            Arrays.fill(b, idx.get(0) + 8, b.length, (byte) 0);
            return b;
        }));
        d.add(new Damage("avi-index-removed", b -> {
            List<Integer> idx = occurrences(b, "idx1".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return idx.isEmpty() ? null : Arrays.copyOf(b, idx.get(0));
        }));
        d.add(new Damage("avi-movi-size-huge", b -> {
            List<Integer> movi = occurrences(b, "movi".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            if (movi.isEmpty() || movi.get(0) < 8) {
                return null;
            }
            // LIST <size> movi: the size is little-endian, just before the list type
            int at = movi.get(0) - 4;
            b[at] = (byte) 0xf0;
            b[at + 1] = (byte) 0xff;
            b[at + 2] = (byte) 0xff;
            b[at + 3] = 0x7f;
            return b;
        }));
        d.add(new Damage("avi-stream-header-zeroed", b -> {
            List<Integer> strh = occurrences(b, "strh".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            if (strh.isEmpty()) {
                return null;
            }
            Arrays.fill(b, strh.get(0) + 8, Math.min(b.length, strh.get(0) + 64), (byte) 0);
            return b;
        }));
        return d;
    }

    // ---- byte helpers ----

    /** {@code b} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] b, int at, int removed, byte[] inserted) {
        byte[] out = new byte[b.length - removed + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at + removed, out, at + inserted.length, b.length - at - removed);
        return out;
    }

    /** Two non-overlapping boxes (a before c) exchanged. */
    private static byte[] swap(byte[] b, Box a, Box c) {
        return swap(b, a.start, a.length, c.start, c.length);
    }

    /** Two non-overlapping ranges exchanged; the first must come first. */
    private static byte[] swap(byte[] b, int a, int aLength, int c, int cLength) {
        if (a + aLength > c) {
            return b;
        }
        byte[] out = new byte[b.length];
        int p = 0;
        System.arraycopy(b, 0, out, p, a);
        p += a;
        System.arraycopy(b, c, out, p, cLength);
        p += cLength;
        System.arraycopy(b, a + aLength, out, p, c - a - aLength);
        p += c - a - aLength;
        System.arraycopy(b, a, out, p, aLength);
        p += aLength;
        System.arraycopy(b, c + cLength, out, p, b.length - c - cLength);
        return out;
    }

    /** Two equally long ranges exchanged in place. */
    private static void exchange(byte[] b, int i, int j, int length) {
        for (int k = 0; k < length; k++) {
            byte t = b[i + k];
            b[i + k] = b[j + k];
            b[j + k] = t;
        }
    }

    private static byte[] putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b, at, 4).putInt(value);
        return b;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
