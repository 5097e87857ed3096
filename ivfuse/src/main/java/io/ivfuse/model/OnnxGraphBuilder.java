package io.ivfuse.model;

import ai.onnx.proto.OnnxMl;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds an ONNX model with the protobuf classes of tribuo-util-onnx: float tensors with symbolic
 * dimensions for inputs and outputs, raw little-endian initializers, and nodes with generated
 * output names.
 */
public final class OnnxGraphBuilder {
    /** The operator set the writers target. */
    public static final int OPSET = 17;
    private static final long IR_VERSION = 8;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final java.util.Map<String, OnnxMl.TensorProto> initializers = new java.util.HashMap<>();
    private int nextId;

    public OnnxGraphBuilder(String name) {
        graph.setName(name);
    }

    /** Declares a float input; a dimension is a number or a symbolic name ("H"). */
    public String input(String name, Object... dims) {
        graph.addInput(valueInfo(name, dims));
        return name;
    }

    /** Declares {@code value} as a graph output called {@code name}, adding an Identity when they differ. */
    public void output(String value, String name, Object... dims) {
        if (!value.equals(name)) {
            graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(name)
                    .addInput(value).addOutput(name));
        }
        graph.addOutput(valueInfo(name, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(d.toString());
            }
            shape.addDim(dim);
        }
        OnnxMl.TypeProto.Tensor.Builder tensor = OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape);
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** Adds a float32 initializer. */
    public String initializer(String name, int[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
        for (int d : dims) {
            t.addDims(d);
        }
        return add(t.build());
    }

    /** Adds an int64 initializer. */
    public String initializer(String name, int[] dims, long[] values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
        for (int d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return add(t.build());
    }

    /** Adds an initializer once: asking again for the same name and contents reuses it. */
    private String add(OnnxMl.TensorProto t) {
        OnnxMl.TensorProto earlier = initializers.putIfAbsent(t.getName(), t);
        if (earlier == null) {
            graph.addInitializer(t);
        } else if (!earlier.equals(t)) {
            throw new IllegalArgumentException("initializer " + t.getName() + " already holds other values");
        }
        return t.getName();
    }

    /**
     * Adds a node with one output and returns the output's name. Attribute values may be Long or
     * Integer (int), Float or Double (float), String, long[] or int[] (ints).
     * An input named "" is an omitted optional input.
     */
    public String node(String opType, Map<String, Object> attributes, String... inputs) {
        String out = opType.toLowerCase(java.util.Locale.ROOT) + "_" + nextId++;
        return nodeNamed(out, opType, attributes, inputs);
    }

    /** As {@link #node}, naming the output. */
    public String nodeNamed(String out, String opType, Map<String, Object> attributes, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(opType).setName(out).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        attributes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> n.addAttribute(attribute(e.getKey(), e.getValue())));
        graph.addNode(n);
        return out;
    }

    private static OnnxMl.AttributeProto attribute(String name, Object v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (v instanceof Long || v instanceof Integer) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] ls) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof int[] is) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int i : is) {
                a.addInts(i);
            }
        } else {
            throw new IllegalArgumentException("unsupported attribute " + name + " = " + v);
        }
        return a.build();
    }

    /** The model, with the given metadata_props. */
    public OnnxMl.ModelProto build(String docString, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ivfuse")
                .setProducerVersion("0.1")
                .setDocString(docString)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** Writes a model file, creating parent folders. */
    public static void write(OnnxMl.ModelProto model, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, model.toByteArray());
        } catch (IOException e) {
            throw new IvfuseException("cannot write model " + file + ": " + e.getMessage(), e);
        }
    }
}
