package io.ivfuse.config;

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
import java.util.stream.Collectors;

/** Reads {@link IvfuseConfig} from YAML, with errors that name the file and the key. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConfigLoader() {
    }

    public static IvfuseConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** As {@link #load(Path)}, with {@code ${NAME}} taken from {@code environment}. */
    public static IvfuseConfig load(Path file, java.util.Map<String, String> environment) {
        if (!Files.exists(file)) {
            throw new IvfuseException("config " + file + ": no such file");
        }
        if (Files.isDirectory(file) || !Files.isReadable(file)) {
            throw new IvfuseException("config " + file + ": not a readable file");
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new IvfuseConfig();
            }
            EnvironmentVariables.substitute(tree, "", environment, file);
            IvfuseConfig config = YAML.treeToValue(tree, IvfuseConfig.class);
            return config == null ? new IvfuseConfig() : config;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new IvfuseException("config " + file + ": unknown key '" + keyPath(e) + "' (known here: " + known + ")");
        } catch (JsonMappingException e) {
            throw new IvfuseException("config " + file + ": bad value for '" + keyPath(e) + "': "
                    + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw new IvfuseException("config " + file + ": not valid YAML: " + e.getMessage().split("\n")[0]);
        }
    }

    private static String keyPath(JsonMappingException e) {
        // outputs[1].view: list indices attach to their key.
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
