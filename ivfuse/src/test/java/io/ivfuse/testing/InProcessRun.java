package io.ivfuse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ivfuse ARGS} through {@link Main#execute} in this JVM: its stdout and stderr, the log
 * (SLF4J's simple logger writes to System.err, captured for the run), and the summary JSON at
 * {@code metricsJson} when the run wrote one (null when it did not, or wrote no valid JSON).
 */
public record InProcessRun(int exit, String out, String err, String log, JsonNode summary) {

    public static InProcessRun execute(Path metricsJson, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        } finally {
            System.err.flush();
            System.setErr(original);
        }
        return new InProcessRun(exit, out.toString(), err.toString(), log.toString(StandardCharsets.UTF_8), summary(metricsJson));
    }

    private static JsonNode summary(Path json) {
        if (json == null || !Files.exists(json)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            return null; // a run that died while writing it: the caller's check says so
        }
    }
}
