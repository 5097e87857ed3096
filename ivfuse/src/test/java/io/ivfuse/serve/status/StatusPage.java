package io.ivfuse.serve.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.testing.HeadlessChromium;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The status page as a test reads and drives it, in a {@link HeadlessChromium}, at any base URL:
 * {@link StatusPageServer}'s, or a real {@code ivfuse serve}'s ("http://127.0.0.1:8080"). The
 * selectors here are the page's (index.html's tile template; the contract's data-* markers).
 */
public final class StatusPage {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HeadlessChromium browser;
    private final String base;

    public StatusPage(HeadlessChromium browser, String baseUrl) {
        this.browser = browser;
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Opens the page, polling every {@code refreshSeconds} (its ?refresh= parameter; 0 = its default), and waits for its first poll. */
    public void open(double refreshSeconds) {
        browser.navigate(base + "/" + (refreshSeconds > 0 ? "?refresh=" + refreshSeconds : ""));
        awaitLoaded();
    }

    /** Waits until the page has shown the pair list once (document.body.dataset.loaded). */
    public void awaitLoaded() {
        browser.waitFor("the first poll of the page at " + base, "document.body.dataset.loaded === 'true'", WAIT);
    }

    /** The pair ids of the tiles, in the page's order. */
    public List<String> tileIds() {
        return texts("article.tile .pair-id");
    }

    /** The text of a tile's element of class {@code field} ("state", "fps", "latency", "drops", "reason"...). */
    public String field(String id, String field) {
        return browser.evaluate(tile(id) + ".querySelector(" + HeadlessChromium.quote("." + field) + ").textContent").asText();
    }

    /** The tile's data-state: the API's state of the pair. */
    public String state(String id) {
        return browser.evaluate(tile(id) + ".dataset.state").asText();
    }

    /** Waits until the tile's snapshot has loaded (data-loaded) and returns its size, {width, height}. */
    public int[] awaitSnapshot(String id) {
        browser.waitFor("the snapshot of " + id + " to load", element(css(id) + " img.snapshot[data-loaded='true']"), WAIT);
        JsonNode size = browser.evaluate("(() => { const i = " + image(id) + "; return [i.naturalWidth, i.naturalHeight]; })()");
        return new int[] {size.get(0).asInt(), size.get(1).asInt()};
    }

    public void awaitTile(String id) {
        browser.waitFor("a tile for " + id, tile(id), WAIT);
    }

    public void awaitNoTile(String id) {
        browser.waitFor("the tile of " + id + " to go", "!" + tile(id), WAIT);
    }

    /** Clicks Remove, then the in-page Confirm. */
    public void remove(String id) {
        clickRemove(id);
        browser.click(css(id) + " .confirm-remove");
    }

    /** Clicks Remove only: the tile asks for the confirmation. */
    public void clickRemove(String id) {
        browser.click(css(id) + " .remove");
    }

    public void restart(String id) {
        browser.click(css(id) + " .restart");
    }

    /** Whether an element matching {@code css} is rendered (not hidden, has a box). */
    public boolean visible(String css) {
        return browser.evaluate("(() => { const e = " + element(css) + "; return !!e && e.getClientRects().length > 0; })()").asBoolean();
    }

    /** The text of every element matching {@code css}. */
    public List<String> texts(String css) {
        JsonNode values = browser.evaluate("[...document.querySelectorAll(" + HeadlessChromium.quote(css) + ")].map(e => e.textContent)");
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return texts;
    }

    /** The CSS selector of a pair's tile. */
    public static String css(String id) {
        return "article.tile[data-pair=" + HeadlessChromium.quote(id) + "]";
    }

    /** JavaScript: a pair's tile element, or null. */
    public static String tile(String id) {
        return element(css(id));
    }

    /** JavaScript: the snapshot image of a pair's tile. */
    public static String image(String id) {
        return tile(id) + ".querySelector('img.snapshot')";
    }

    /** JavaScript: the first element matching a CSS selector, or null. */
    public static String element(String css) {
        return "document.querySelector(" + HeadlessChromium.quote(css) + ")";
    }
}
