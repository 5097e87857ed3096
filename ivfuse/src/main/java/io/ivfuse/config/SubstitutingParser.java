package io.ivfuse.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * The config file's YAML parser, with every string value passed through {@link Substitution} as it
 * is read. Substituting on the token stream (rather than on a tree) keeps Jackson's errors at their
 * line and column, and lets a substitution error name its own.
 */
final class SubstitutingParser extends JsonParserDelegate {
    private final Substitution substitution;
    private final Path file;
    /** The current token's text after substitution; null unless the token is a string. */
    private String text;
    /** Where the last key began: Jackson locates an unknown key at its value, which may be lines further. */
    private JsonLocation keyLocation;

    SubstitutingParser(JsonParser yaml, Substitution substitution, Path file) {
        super(yaml);
        this.substitution = substitution;
        this.file = file;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return substituted(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return substituted(delegate.nextValue());
    }

    /** Where the last key read began. */
    JsonLocation keyLocation() {
        return keyLocation;
    }

    private JsonToken substituted(JsonToken token) throws IOException {
        if (token == JsonToken.FIELD_NAME) {
            keyLocation = delegate.currentTokenLocation();
        }
        text = token == JsonToken.VALUE_STRING
                ? substitution.expand(delegate.getText(), () -> ConfigLoader.at(file, currentTokenLocation())
                        + "key '" + ConfigLoader.keyPath(getParsingContext()) + "'")
                : null;
        return token;
    }

    @Override
    public String getText() throws IOException {
        return text != null ? text : delegate.getText();
    }

    @Override
    public int getText(Writer writer) throws IOException {
        if (text == null) {
            return delegate.getText(writer);
        }
        writer.write(text);
        return text.length();
    }

    @Override
    public String getValueAsString() throws IOException {
        return text != null ? text : delegate.getValueAsString();
    }

    @Override
    public String getValueAsString(String defaultValue) throws IOException {
        return text != null ? text : delegate.getValueAsString(defaultValue);
    }

    @Override
    public boolean hasTextCharacters() {
        return text == null && delegate.hasTextCharacters();
    }

    @Override
    public char[] getTextCharacters() throws IOException {
        return text != null ? text.toCharArray() : delegate.getTextCharacters();
    }

    @Override
    public int getTextLength() throws IOException {
        return text != null ? text.length() : delegate.getTextLength();
    }

    @Override
    public int getTextOffset() throws IOException {
        return text != null ? 0 : delegate.getTextOffset();
    }
}
