package io.ivfuse.quality.report;

import io.ivfuse.quality.evaluation.EvaluationResult;
import io.ivfuse.quality.metric.Convention;
import io.ivfuse.quality.metric.Metric;
import io.ivfuse.IvfuseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Writes an evaluation: {@code metrics.csv} (image, method, metric, value), {@code summary.csv} and
 * {@code summary.md} (methods x metrics means, like a paper's table, best value in bold),
 * {@code report.html} with a thumbnail grid and one XChart bar chart (PNG) per metric.
 */
public final class ReportWriter {
    private final Path dir;

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public void write(EvaluationResult result, List<String> methods, List<Metric> metrics, Convention convention) {
        List<String> metricNames = metrics.stream().map(Metric::name).toList();
        Map<String, Map<String, Double>> means = result.means(methods, metricNames);
        try {
            Files.createDirectories(dir);
            writeMetricsCsv(result);
            writeSummaryCsv(means, metricNames);
            Files.writeString(dir.resolve("summary.md"), summaryMarkdown(means, metrics, convention, result));
            List<String> charts = writeCharts(means, metricNames, convention);
            Files.writeString(dir.resolve("report.html"), html(result, means, metrics, convention, charts, methods));
        } catch (IOException e) {
            throw new IvfuseException("cannot write the report in " + dir + ": " + e.getMessage(), e);
        }
    }

    static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private void writeMetricsCsv(EvaluationResult result) throws IOException {
        StringBuilder sb = new StringBuilder("image,method,metric,value\n");
        for (EvaluationResult.Row r : result.rows()) {
            sb.append(csv(r.image())).append(',').append(csv(r.method())).append(',').append(r.metric()).append(',')
                    .append(number(r.value())).append('\n');
        }
        Files.writeString(dir.resolve("metrics.csv"), sb);
    }

    private void writeSummaryCsv(Map<String, Map<String, Double>> means, List<String> metrics) throws IOException {
        StringBuilder sb = new StringBuilder("method");
        metrics.forEach(m -> sb.append(',').append(m));
        sb.append('\n');
        for (var e : means.entrySet()) {
            sb.append(csv(e.getKey()));
            for (String m : metrics) {
                Double v = e.getValue().get(m);
                sb.append(',').append(v == null ? "" : number(v));
            }
            sb.append('\n');
        }
        Files.writeString(dir.resolve("summary.csv"), sb);
    }

    /** The best method's mean per metric (highest, or lowest where lower is better). */
    private static Map<String, Double> best(Map<String, Map<String, Double>> means, List<Metric> metrics) {
        Map<String, Double> best = new LinkedHashMap<>();
        for (Metric m : metrics) {
            for (Map<String, Double> row : means.values()) {
                Double v = row.get(m.name());
                if (v != null) {
                    best.merge(m.name(), v, (a, b) -> m.higherIsBetter() ? Math.max(a, b) : Math.min(a, b));
                }
            }
        }
        return best;
    }

    static String summaryMarkdown(Map<String, Map<String, Double>> means, List<Metric> metrics, Convention convention,
            EvaluationResult result) {
        Map<String, Double> best = best(means, metrics);
        StringBuilder sb = new StringBuilder();
        long images = result.rows().stream().map(EvaluationResult.Row::image).distinct().count();
        sb.append("Means over ").append(images).append(" image pairs, ").append(convention.id())
                .append(" convention (best in bold; ↓ = lower is better).\n\n| method |");
        metrics.forEach(m -> sb.append(' ').append(m.name()).append(m.higherIsBetter() ? "" : " ↓").append(" |"));
        sb.append("\n|---|");
        metrics.forEach(m -> sb.append("---:|"));
        sb.append('\n');
        for (var e : means.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (Metric m : metrics) {
                Double v = e.getValue().get(m.name());
                String s = v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
                sb.append(' ').append(v != null && v.equals(best.get(m.name())) && means.size() > 1 ? "**" + s + "**" : s).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private List<String> writeCharts(Map<String, Map<String, Double>> means, List<String> metrics, Convention convention)
            throws IOException {
        Path chartDir = dir.resolve("charts");
        Files.createDirectories(chartDir);
        List<String> files = new ArrayList<>();
        for (String metric : metrics) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            means.forEach((method, row) -> {
                // A bar chart cannot draw an infinite mean (PSNR of a fused image equal to its sources).
                if (row.containsKey(metric) && Double.isFinite(row.get(metric))) {
                    names.add(method);
                    values.add(row.get(metric));
                }
            });
            if (names.isEmpty()) {
                continue;
            }
            CategoryChart chart = new CategoryChartBuilder().width(Math.max(480, 60 * names.size())).height(320)
                    .title(metric + " (" + convention.id() + ")").xAxisTitle("method").yAxisTitle(metric).build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(names.size() > 6 ? 45 : 0);
            chart.addSeries(metric, names, values);
            String file = "charts/" + metric.replaceAll("[^A-Za-z0-9]", "_") + ".png";
            BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            files.add(file);
        }
        return files;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String html(EvaluationResult result, Map<String, Map<String, Double>> means, List<Metric> metrics,
            Convention convention, List<String> charts, List<String> methods) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ivfuse evaluation</title>\n"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                + "padding:4px 8px;text-align:right}th{background:#eee}td.img{text-align:center}img{display:block}</style>"
                + "</head><body>\n<h1>Fusion quality</h1>\n");
        Map<String, Double> best = best(means, metrics);
        sb.append("<h2>Means (").append(convention.id()).append(" convention)</h2>\n<table><tr><th>method</th>");
        metrics.forEach(m -> sb.append("<th>").append(esc(m.name())).append(m.higherIsBetter() ? "" : " &darr;").append("</th>"));
        sb.append("</tr>\n");
        for (var e : means.entrySet()) {
            sb.append("<tr><th>").append(esc(e.getKey())).append("</th>");
            for (Metric m : metrics) {
                Double v = e.getValue().get(m.name());
                String s = v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
                sb.append(v != null && v.equals(best.get(m.name())) && means.size() > 1 ? "<td><b>" + s + "</b></td>" : "<td>" + s + "</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        if (!result.errors().isEmpty()) {
            sb.append("<h2>Problems</h2>\n<ul>\n");
            result.errors().forEach(e -> sb.append("<li>").append(esc(e)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        if (!result.warnings().isEmpty()) {
            sb.append("<h2>Warnings</h2>\n<ul>\n");
            result.warnings().forEach(w -> sb.append("<li>").append(esc(w)).append("</li>\n"));
            sb.append("</ul>\n");
        }
        sb.append("<h2>Charts</h2>\n");
        charts.forEach(c -> sb.append("<img src=\"").append(esc(c)).append("\" alt=\"").append(esc(c)).append("\">\n"));
        List<String> sources = convention.sourceNames();
        sb.append("<h2>Images</h2>\n<table><tr><th>pair</th>");
        sources.forEach(c -> sb.append("<th>").append(esc(c)).append("</th>"));
        methods.forEach(m -> sb.append("<th>").append(esc(m)).append("</th>"));
        sb.append("</tr>\n");
        List<String> columns = new ArrayList<>(sources);
        columns.addAll(methods);
        for (var e : result.thumbnails().entrySet()) {
            sb.append("<tr><th>").append(esc(e.getKey())).append("</th>");
            for (String c : columns) {
                String t = e.getValue().get(c);
                sb.append("<td class=\"img\">").append(t == null ? "" : "<img src=\"" + esc(t) + "\" alt=\"" + esc(c) + "\">")
                        .append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }
}
