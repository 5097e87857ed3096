package io.ivfuse.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Path;

/** The JSON reports ivfuse writes (run summary, bench): snake_case keys, indented. */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonFiles() {
    }

    /** Writes {@code value} to {@code file}; a failure is one line naming {@code what} and the file. Its folder is not created. */
    public static void write(Path file, Object value, String what) {
        try {
            JSON.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new IvfuseException(what + " " + file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
