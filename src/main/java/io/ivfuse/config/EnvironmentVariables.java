package io.ivfuse.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ivfuse.IvfuseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in config string values with the environment variable NAME, so that
 * camera passwords need not be written into config files or command lines
 * ({@code uri: rtsp://admin:${IVFUSE_IR_PASSWORD}@10.0.0.5/thermal}). {@code $${} stands for a
 * literal {@code ${}. An unset variable is an error naming the key and the variable.
 */
final class EnvironmentVariables {
    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private EnvironmentVariables() {
    }

    static void substitute(JsonNode node, String path, Map<String, String> env, Path file) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                String key = path.isEmpty() ? name : path + "." + name;
                if (child.isTextual()) {
                    object.set(name, TextNode.valueOf(expand(child.asText(), key, env, file)));
                } else {
                    substitute(child, key, env, file);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                String key = path + "[" + i + "]";
                if (child.isTextual()) {
                    array.set(i, TextNode.valueOf(expand(child.asText(), key, env, file)));
                } else {
                    substitute(child, key, env, file);
                }
            }
        }
    }

    static String expand(String value, String key, Map<String, String> env, Path file) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + m.group(2) + "}";
            } else {
                replacement = env.get(m.group(2));
                if (replacement == null) {
                    throw new IvfuseException("config " + file + ": key '" + key + "' names environment variable "
                            + m.group(2) + ", which is not set");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
