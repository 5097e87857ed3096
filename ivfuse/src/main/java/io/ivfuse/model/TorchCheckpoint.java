package io.ivfuse.model;

import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch checkpoint written by {@code torch.save} (the zip format of torch 1.6 and later)
 * holding a state dict, without Python. The archive has one top-level folder with
 * {@code data.pkl} (the pickled dict) and {@code data/<key>} (raw storages). Only plain tensors
 * are accepted: {@code torch._utils._rebuild_tensor_v2} over float32 or int64 storages, in
 * {@code collections.OrderedDict}s.
 */
public final class TorchCheckpoint {
    private static final PickleReader.Global ORDERED_DICT = new PickleReader.Global("collections", "OrderedDict");
    private static final PickleReader.Global REBUILD_TENSOR = new PickleReader.Global("torch._utils", "_rebuild_tensor_v2");

    private TorchCheckpoint() {
    }

    /** A storage the pickle refers to, read from {@code data/<key>} on first use. */
    private record StorageRef(TorchTensor.DType dtype, String key, long numel) {
    }

    /** Marks a storage class such as {@code torch.FloatStorage}. */
    private record StorageType(TorchTensor.DType dtype) {
    }

    /**
     * The state dict of {@code file}, in file order. A checkpoint whose top level is a dict holding
     * the state dict under {@code state_dict} or {@code model} is unwrapped; a {@code module.}
     * prefix (from DataParallel) is removed.
     */
    public static Map<String, TorchTensor> readStateDict(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IvfuseException("checkpoint " + file + " does not exist");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = findPrefix(zip, file);
            checkByteOrder(zip, prefix, file);
            byte[] pickle = readEntry(zip, zip.getEntry(prefix + "data.pkl"));
            Resolver resolver = new Resolver(zip, prefix, file);
            Object root = PickleReader.read(pickle, resolver, file + " (data.pkl)");
            return stateDictOf(root, file);
        } catch (ZipException e) {
            throw new IvfuseException(file + " is not a PyTorch checkpoint (not a zip archive: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IvfuseException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static String findPrefix(ZipFile zip, Path file) {
        List<String> prefixes = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String name = e.getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))) {
                prefixes.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (prefixes.size() != 1) {
            throw new IvfuseException(file + " is not a PyTorch checkpoint (" + prefixes.size()
                    + " data.pkl entries in the zip, expected 1)");
        }
        return prefixes.get(0);
    }

    private static void checkByteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e != null) {
            String order = new String(readEntry(zip, e), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new IvfuseException(file + ": storages are " + order + "-endian; only little-endian is supported");
            }
        }
    }

    private static byte[] readEntry(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TorchTensor> stateDictOf(Object root, Path file) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new IvfuseException(file + " does not hold a state dict (top level is "
                    + (root == null ? "None" : root.getClass().getSimpleName()) + ")");
        }
        for (String wrapper : List.of("state_dict", "model")) {
            if (map.get(wrapper) instanceof Map<?, ?> inner) {
                return stateDictOf(inner, file);
            }
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TorchTensor t)) {
                throw new IvfuseException(file + " does not hold a state dict (entry '" + e.getKey()
                        + "' is not a named tensor)");
            }
            out.put(key.startsWith("module.") ? key.substring("module.".length()) : key, t);
        }
        return out;
    }

    /** Turns the pickle's globals into tensors; anything else is rejected. */
    private static final class Resolver implements PickleReader.Resolver {
        private final ZipFile zip;
        private final String prefix;
        private final Path file;
        private final Map<String, ByteBuffer> storages = new LinkedHashMap<>();

        Resolver(ZipFile zip, String prefix, Path file) {
            this.zip = zip;
            this.prefix = prefix;
            this.file = file;
        }

        @Override
        public Object reduce(Object callable, List<Object> args) {
            if (ORDERED_DICT.equals(callable) && args.isEmpty()) {
                return new LinkedHashMap<Object, Object>();
            }
            if (REBUILD_TENSOR.equals(callable)) {
                return rebuildTensor(args);
            }
            throw new IvfuseException(file + ": unsupported object " + callable + " in the checkpoint"
                    + " (only tensors in OrderedDicts are read)");
        }

        @Override
        public Object build(Object target, Object state) {
            // torch attaches {'_metadata': ...} (module versions) to the OrderedDict: not needed.
            if (target instanceof Map && (state instanceof Map || state == null)) {
                return target;
            }
            throw new IvfuseException(file + ": unsupported BUILD on " + target + " in the checkpoint");
        }

        @Override
        public Object persistentLoad(Object pid) {
            if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                    || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)) {
                throw new IvfuseException(file + ": unsupported persistent id " + pid + " in the checkpoint");
            }
            TorchTensor.DType dtype = storageType(t.get(1));
            return new StorageRef(dtype, key, numel);
        }

        private TorchTensor.DType storageType(Object global) {
            if (global instanceof PickleReader.Global g && g.module().equals("torch")) {
                if (g.name().equals("FloatStorage")) {
                    return TorchTensor.DType.FLOAT32;
                }
                if (g.name().equals("LongStorage")) {
                    return TorchTensor.DType.INT64;
                }
            }
            throw new IvfuseException(file + ": unsupported storage type " + global
                    + " (float32 and int64 are supported)");
        }

        private TorchTensor rebuildTensor(List<Object> args) {
            if (args.size() < 4 || !(args.get(0) instanceof StorageRef ref) || !(args.get(1) instanceof Long offset)
                    || !(args.get(2) instanceof List<?> size) || !(args.get(3) instanceof List<?> stride)
                    || size.size() != stride.size()) {
                throw new IvfuseException(file + ": malformed tensor in the checkpoint (" + args + ")");
            }
            int[] shape = new int[size.size()];
            long[] strides = new long[stride.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.toIntExact((Long) size.get(i));
                strides[i] = (Long) stride.get(i);
            }
            ByteBuffer bytes = storage(ref);
            int[] indices;
            try {
                indices = TorchTensor.contiguousIndices(shape, strides, offset, ref.numel());
            } catch (IllegalArgumentException e) {
                throw new IvfuseException(file + ": tensor over storage " + ref.key() + ": " + e.getMessage());
            }
            if (ref.dtype() == TorchTensor.DType.FLOAT32) {
                float[] v = new float[indices.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = bytes.getFloat(indices[i] * 4);
                }
                return TorchTensor.ofFloats(shape, v);
            }
            long[] v = new long[indices.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = bytes.getLong(indices[i] * 8);
            }
            return TorchTensor.ofLongs(shape, v);
        }

        private ByteBuffer storage(StorageRef ref) {
            return storages.computeIfAbsent(ref.key(), key -> {
                String name = prefix + "data/" + key;
                ZipEntry e = zip.getEntry(name);
                if (e == null) {
                    throw new IvfuseException(file + ": storage entry " + name + " is missing");
                }
                byte[] data;
                try {
                    data = readEntry(zip, e);
                } catch (IOException ex) {
                    throw new IvfuseException(file + ": cannot read " + name + ": " + ex.getMessage(), ex);
                }
                int elementSize = ref.dtype() == TorchTensor.DType.FLOAT32 ? 4 : 8;
                if (data.length != ref.numel() * elementSize) {
                    throw new IvfuseException(file + ": storage " + name + " holds " + data.length
                            + " bytes, expected " + ref.numel() * elementSize);
                }
                return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            });
        }
    }
}
