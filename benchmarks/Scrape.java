import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Prometheus-like scraper for benchmarks/serve.sh: GET URL at a fixed RATE a second for SECONDS
 * (requests start on schedule whether or not the last one has answered, as a scraper's interval
 * does), then prints "scrapes=N failed=F bytes=B p50_ms=X p99_ms=Y".
 * Usage: java benchmarks/Scrape.java URL RATE SECONDS
 */
public class Scrape {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        long seconds = Long.parseLong(args[2]);
        HttpClient http = HttpClient.newHttpClient();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong failed = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            long t0 = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) {
                            failed.incrementAndGet();
                        } else {
                            bytes.set(r.body().length);
                            latencies.add((System.nanoTime() - t0) / 1e6);
                        }
                    });
        }, 0, Math.round(1e9 / rate), TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000);
        timer.shutdownNow();
        Thread.sleep(1000); // the last answers
        List<Double> l = new ArrayList<>(latencies);
        Collections.sort(l);
        double p50 = l.isEmpty() ? 0 : l.get(l.size() / 2);
        double p99 = l.isEmpty() ? 0 : l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1));
        System.out.printf("scrapes=%d failed=%d bytes=%d p50_ms=%.1f p99_ms=%.1f%n", l.size(), failed.get(), bytes.get(), p50, p99);
    }
}
