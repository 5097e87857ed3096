package io.ivfuse.cli;

import io.ivfuse.IvfuseException;
import java.util.Map;
import java.util.TreeSet;

/** Parses a flag value against its allowed spellings, with an error that lists them. */
final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String flag, String value, Map<String, E> spellings) {
        E e = spellings.get(value.trim().toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw new IvfuseException(flag + ": unknown value '" + value + "' (use one of " + new TreeSet<>(spellings.keySet()) + ")");
        }
        return e;
    }
}
