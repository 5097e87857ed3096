package io.ivfuse.config;

import io.ivfuse.IvfuseException;
import io.ivfuse.util.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills references into config values and into the locations given on the command line, so that
 * camera passwords need be neither in config files nor on command lines (where {@code ps} shows
 * them):
 * <ul>
 * <li>{@code ${NAME}}: the environment variable NAME
 *     ({@code rtsp://admin:${IVFUSE_IR_PASSWORD}@10.0.0.5/thermal});</li>
 * <li>{@code ${file:PATH}}: the content of a file, without surrounding whitespace: Docker and
 *     Kubernetes secrets ({@code ${file:/run/secrets/ir_password}}); a relative PATH is from the
 *     working directory, like every path of the config;</li>
 * <li>{@code $${}: a literal {@code ${}.</li>
 * </ul>
 * An unset variable or an unreadable file is an error naming the value and the variable or file,
 * never the secret. Values read from files, and from variables named like secrets (PASS, PWD,
 * TOKEN, KEY, SECRET, AUTH, CRED), are handed to {@link Redaction}, which hides them wherever they
 * would be shown; URL credentials are hidden whatever their origin.
 */
public final class Substitution {
    /** A secret file larger than this is a mistake (a wrong path), not a password. */
    static final int MAX_SECRET_FILE_BYTES = 64 * 1024;
    private static final Pattern REFERENCE =
            Pattern.compile("\\$(\\$?)\\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*))}");

    private final Map<String, String> environment;

    public Substitution(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Substitution from this process's environment. */
    public static Substitution fromSystem() {
        return new Substitution(System.getenv());
    }

    /**
     * {@code value} with its references filled in.
     *
     * @param what names the value in an error, e.g. {@code --ir} or {@code config c.yaml:3:7: key 'input.ir.uri'};
     *             asked for only then
     */
    public String expand(String value, Supplier<String> what) {
        if (value == null || value.indexOf('$') < 0) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = m.group().substring(1);
            } else if (m.group(2) != null) {
                replacement = readSecretFile(Path.of(m.group(2).strip()), what);
                Redaction.addSecret(replacement);
            } else {
                replacement = variable(m.group(3), what);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String variable(String name, Supplier<String> what) {
        String value = environment.get(name);
        if (value == null) {
            throw new IvfuseException(what.get() + " names environment variable " + name + ", which is not set");
        }
        if (Redaction.namesSecret(name)) {
            Redaction.addSecret(value);
        }
        return value;
    }

    private static String readSecretFile(Path file, Supplier<String> what) {
        String problem;
        if (Files.isDirectory(file)) {
            problem = "it is a directory";
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
                if (bytes.length <= MAX_SECRET_FILE_BYTES) {
                    return new String(bytes, StandardCharsets.UTF_8).strip();
                }
                problem = "it is over " + MAX_SECRET_FILE_BYTES / 1024 + " KiB, not a secret";
            } catch (NoSuchFileException e) {
                problem = "no such file";
            } catch (AccessDeniedException e) {
                problem = "permission denied";
            } catch (IOException e) {
                problem = e.getMessage();
            }
        }
        throw new IvfuseException(what.get() + " reads secret file " + file + ": " + problem);
    }
}
