package io.ivfuse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@link IvfuseConfig} from YAML, with {@code ${NAME}} and {@code ${file:PATH}} filled in
 * ({@link Substitution}). Every error is one line naming the file, the line and column, and the
 * key: {@code config c.yaml:4:3: duplicate key 'fusion.engine'}.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Jackson's message for a key given twice (STRICT_DUPLICATE_DETECTION). */
    private static final String DUPLICATE = "Duplicate field";

    private ConfigLoader() {
    }

    public static IvfuseConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** As {@link #load(Path)}, with {@code ${NAME}} taken from {@code environment}. */
    public static IvfuseConfig load(Path file, Map<String, String> environment) {
        IvfuseConfig config = read(file, environment, IvfuseConfig.class);
        return config == null ? new IvfuseConfig() : config;
    }

    /**
     * Reads a YAML file of any config schema ({@code ivfuse serve}'s site file too), with
     * substitution and the same one-line errors; null for an empty document.
     */
    public static <T> T read(Path file, Map<String, String> environment, Class<T> type) {
        if (!Files.exists(file)) {
            throw new IvfuseException("config " + file + ": no such file");
        }
        if (Files.isDirectory(file) || !Files.isReadable(file)) {
            throw new IvfuseException("config " + file + ": not a readable file");
        }
        try (JsonParser yaml = new SubstitutingParser(YAML.createParser(file.toFile()), new Substitution(environment), file)) {
            if (yaml.nextToken() == null) {
                return null;
            }
            return YAML.readValue(yaml, type);
        } catch (UnrecognizedPropertyException e) {
            JsonLocation key = e.getProcessor() instanceof SubstitutingParser p ? p.keyLocation() : e.getLocation();
            throw new IvfuseException(at(file, key) + unknownKey(e, ""));
        } catch (JsonMappingException e) {
            // Jackson wraps what the parser throws inside a value: a substitution error, already
            // located, or a YAML syntax error.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IvfuseException substitution) {
                    throw substitution;
                }
                if (cause instanceof JsonParseException syntax) {
                    throw new IvfuseException(syntaxError(file, syntax));
                }
            }
            throw new IvfuseException(at(file, e.getLocation()) + badValue(e, ""));
        } catch (JsonParseException e) {
            throw new IvfuseException(syntaxError(file, e));
        } catch (IOException e) {
            throw new IvfuseException("config " + file + ": cannot read: " + firstLine(e.getMessage()));
        }
    }

    /**
     * A config held as a tree (a service's defaults merged with one pair's entry) as a run config;
     * errors start with {@code where} and name the key under {@code keyPrefix} ("pairs[2].").
     */
    public static IvfuseConfig fromTree(JsonNode tree, String where, String keyPrefix) {
        try {
            IvfuseConfig config = YAML.treeToValue(tree, IvfuseConfig.class);
            return config == null ? new IvfuseConfig() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new IvfuseException(where + unknownKey(e, keyPrefix));
        } catch (JsonMappingException e) {
            throw new IvfuseException(where + badValue(e, keyPrefix));
        } catch (IOException e) {
            throw new IvfuseException(where + firstLine(e.getMessage()));
        }
    }

    /** JSON text (a control API's request body) as {@code type}, with the config's rules; errors name the key. */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            T value = JSON.readValue(json, type);
            if (value == null) {
                throw new IvfuseException("the body is empty (a JSON object is expected)");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new IvfuseException(unknownKey(e, ""));
        } catch (JsonParseException e) {
            throw new IvfuseException("not valid JSON: " + firstLine(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (JsonMappingException e) {
            throw new IvfuseException(badValue(e, ""));
        } catch (IOException e) {
            throw new IvfuseException("cannot read the body: " + firstLine(e.getMessage()));
        }
    }

    /** A value as a tree in the config's naming (snake_case keys), e.g. a parsed pair entry's parts. */
    public static JsonNode toTree(Object value) {
        return YAML.valueToTree(value);
    }

    private static String unknownKey(UnrecognizedPropertyException e, String keyPrefix) {
        String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                .map(Object::toString).sorted().collect(Collectors.joining(", "));
        return "unknown key '" + keyPrefix + keyPath(e) + "' (known here: " + known + ")";
    }

    private static String badValue(JsonMappingException e, String keyPrefix) {
        String key = keyPrefix + keyPath(e);
        if (key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        return "bad value for " + (key.isEmpty() ? "the document" : "'" + key + "'") + ": " + firstLine(e.getOriginalMessage());
    }

    /** A duplicate key, or YAML that does not parse, at the place the problem is. */
    private static String syntaxError(Path file, JsonParseException e) {
        JsonParser p = e.getProcessor();
        if (e.getOriginalMessage().startsWith(DUPLICATE) && p != null) {
            return at(file, p.currentTokenLocation()) + "duplicate key '" + keyPath(p.getParsingContext()) + "'";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // SnakeYAML's marks point at the problem; Jackson's location is where its parser stopped.
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                String context = y.getContext() == null || y.getContextMark() == null ? ""
                        : " (" + y.getContext() + " from line " + (y.getContextMark().getLine() + 1) + ")";
                return "config " + file + ":" + (y.getProblemMark().getLine() + 1) + ":" + (y.getProblemMark().getColumn() + 1)
                        + ": not valid YAML: " + firstLine(y.getProblem()) + context;
            }
        }
        return at(file, e.getLocation()) + "not valid YAML: " + firstLine(e.getOriginalMessage());
    }

    /** {@code config FILE:LINE:COLUMN: }, the prefix of every error about a place in the file. */
    static String at(Path file, JsonLocation location) {
        boolean known = location != null && location.getLineNr() > 0;
        return "config " + file + (known ? ":" + location.getLineNr() + ":" + location.getColumnNr() : "") + ": ";
    }

    private static String keyPath(JsonMappingException e) {
        // outputs[1].view: list indices attach to their key.
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The key a parser is at, named as {@link #keyPath(JsonMappingException)} names it. */
    static String keyPath(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push(c.getCurrentName());
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.strip().split("\n", 2)[0];
    }
}
