package io.ivfuse.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX fusion model declares and costs, read from the file without running it: inputs and
 * outputs with their shapes, metadata, parameter count, and multiply-accumulates per input pixel.
 *
 * <p>MACs per pixel are counted over Conv, ConvTranspose-free graphs: each tensor carries its area
 * relative to the input (1 at full resolution, 1/4 after a 2x2 pooling, back to the skip's area
 * after a Resize to a Shape), and a convolution costs {@code out * in/group * kh * kw} MACs per
 * output pixel times that area.
 *
 * @param name          the model's name (file name or resource name)
 * @param inputs        name to shape, e.g. {@code [N, 1, H, W]}
 * @param outputs       name to shape
 * @param metadata      metadata_props
 * @param parameters    elements in the initializers
 * @param macsPerPixel  multiply-accumulates per input pixel in convolutions
 */
public record ModelInfo(String name, Map<String, String> inputs, Map<String, String> outputs,
                        Map<String, String> metadata, long parameters, double macsPerPixel) {

    public static ModelInfo read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new IvfuseException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    public static ModelInfo read(InputStream in, String name) throws IOException {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new IvfuseException(name + " is not an ONNX model: " + e.getMessage());
        }
        if (!model.hasGraph()) {
            throw new IvfuseException(name + " is not an ONNX model: no graph");
        }
        return of(model, name);
    }

    public static ModelInfo of(OnnxMl.ModelProto model, String name) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> init = new HashMap<>();
        long params = 0;
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            init.put(t.getName(), t);
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            params += n;
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!init.containsKey(v.getName())) {
                inputs.put(v.getName(), shape(v));
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto v : g.getOutputList()) {
            outputs.put(v.getName(), shape(v));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        return new ModelInfo(name, inputs, outputs, meta, params, macsPerPixel(g, inputs.keySet(), init));
    }

    private static String shape(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return "?";
        }
        List<String> dims = new ArrayList<>();
        for (OnnxMl.TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return dims.toString();
    }

    private static double macsPerPixel(OnnxMl.GraphProto g, Iterable<String> inputs, Map<String, OnnxMl.TensorProto> init) {
        Map<String, Double> area = new HashMap<>(); // tensor name -> area relative to the input
        Map<String, String> shapeOf = new HashMap<>(); // Shape output -> its source tensor
        for (String in : inputs) {
            area.put(in, 1.0);
        }
        double macs = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            Double a = n.getInputCount() > 0 ? area.get(n.getInput(0)) : null;
            switch (n.getOpType()) {
                case "Shape" -> {
                    shapeOf.put(n.getOutput(0), n.getInput(0));
                    continue;
                }
                case "Conv", "MaxPool", "AveragePool" -> {
                    if (a != null) {
                        a /= product(ints(n, "strides"));
                    }
                }
                case "Resize", "Upsample" -> a = resizedArea(n, a, area, shapeOf, init);
                default -> { }
            }
            if (n.getOpType().equals("Conv") && a != null && n.getInputCount() > 1 && init.containsKey(n.getInput(1))) {
                List<Long> w = init.get(n.getInput(1)).getDimsList();
                double perPixel = 1;
                for (long d : w) {
                    perPixel *= d; // out * in/group * kh * kw
                }
                macs += perPixel * a;
            }
            if (a != null) {
                for (String out : n.getOutputList()) {
                    area.put(out, a);
                }
            }
        }
        return macs;
    }

    private static Double resizedArea(OnnxMl.NodeProto n, Double a, Map<String, Double> area,
                                      Map<String, String> shapeOf, Map<String, OnnxMl.TensorProto> init) {
        if (n.getInputCount() > 3 && shapeOf.containsKey(n.getInput(3))) {
            return area.get(shapeOf.get(n.getInput(3)));
        }
        if (a != null && n.getInputCount() > 2 && init.containsKey(n.getInput(2))) {
            List<Float> scales = init.get(n.getInput(2)).getFloatDataList();
            if (scales.size() == 4) {
                return a * scales.get(2) * scales.get(3);
            }
        }
        return null; // unknown resolution: convolutions after it are not counted
    }

    private static List<Long> ints(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }

    private static double product(List<Long> values) {
        double p = 1;
        for (long v : values) {
            p *= v;
        }
        return p;
    }

    /** The convention, or null when the model does not declare one. */
    public ModelConvention conventionOrNull() {
        try {
            return ModelConvention.fromMetadata(metadata, name);
        } catch (IvfuseException e) {
            return null;
        }
    }
}
