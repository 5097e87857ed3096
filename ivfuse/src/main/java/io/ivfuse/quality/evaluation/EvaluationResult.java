package io.ivfuse.quality.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an evaluation produced: one row per (image, method, metric), the errors met (one line each),
 * and the thumbnails written per pair and column.
 */
public final class EvaluationResult {

    /** One metric value. */
    public record Row(String image, String method, String metric, double value) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Map<String, String>> thumbnails = new java.util.TreeMap<>();

    public synchronized void add(Row r) {
        rows.add(r);
    }

    public synchronized void error(String message) {
        errors.add(message);
    }

    /** Something to report that did not stop the pair from being measured. */
    public synchronized void warning(String message) {
        warnings.add(message);
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    public synchronized void thumbnail(String image, String column, String relativePath) {
        thumbnails.computeIfAbsent(image, k -> new LinkedHashMap<>()).put(column, relativePath);
    }

    public synchronized List<Row> rows() {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(java.util.Comparator.comparing(Row::image).thenComparing(Row::method));
        return sorted;
    }

    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    public synchronized Map<String, Map<String, String>> thumbnails() {
        return thumbnails;
    }

    /** Mean per method and metric, methods and metrics in first-seen order. */
    public synchronized Map<String, Map<String, Double>> means(List<String> methods, List<String> metrics) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String method : methods) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String metric : metrics) {
                rows.stream().filter(r -> r.method().equals(method) && r.metric().equals(metric))
                        .mapToDouble(Row::value).average().ifPresent(v -> m.put(metric, v));
            }
            out.put(method, m);
        }
        return out;
    }
}
