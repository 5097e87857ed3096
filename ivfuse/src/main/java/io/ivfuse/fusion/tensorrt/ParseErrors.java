package io.ivfuse.fusion.tensorrt;

/** One TensorRT ONNX parser error as a phrase that names the node and its operator. */
final class ParseErrors {
    private ParseErrors() {
    }

    static String describe(String nodeName, String operator, int node, String description) {
        String where = operator == null || operator.isEmpty() ? "" : "operator " + operator + " ";
        String name = nodeName == null || nodeName.isEmpty() ? (node >= 0 ? "node #" + node : "") : "node '" + nodeName + "'";
        String at = (where + name).trim();
        return (at.isEmpty() ? "" : at + ": ") + description;
    }
}
