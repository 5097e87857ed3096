package io.ivfuse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivfuse.IvfuseException;
import io.ivfuse.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ivfuse serve}'s site file: service settings, {@code defaults:} (the schema of a run config)
 * and {@code pairs:}, each a {@link PairEntry} merged over the defaults into one run config.
 *
 * <pre>
 * serve: {fusion_threads: 2, listen: 127.0.0.1:8080}
 * defaults: {fusion: {engine: average}, outputs: ["/srv/ivfuse/{id}.mkv"]}
 * pairs:
 *   - {id: gate-1, input: {ir: rtsp://gate-1/ir, vis: rtsp://gate-1/vis}, calibration: gate-1.yaml}
 * </pre>
 */
public final class SiteConfig {
    public Serve serve = new Serve();
    /** What every pair inherits: any key of a run config (configs/default.yaml). */
    public ObjectNode defaults = JsonNodeFactory.instance.objectNode();
    public List<PairEntry> pairs = new ArrayList<>();

    /** Service-wide settings. */
    public static final class Serve {
        /** Frames fused at once by all pairs together (0 = the cores this process may use). */
        public int fusionThreads;
        /** HOST:PORT of the HTTP endpoints (--listen overrides it). */
        public String listen = "127.0.0.1:8080";
    }

    /** Reads and checks a site file: every pair merged (errors name the file and key), ids unique. */
    public static SiteConfig load(Path file) {
        return load(file, System.getenv());
    }

    static SiteConfig load(Path file, Map<String, String> environment) {
        SiteConfig site = ConfigLoader.read(file, environment, SiteConfig.class);
        if (site == null) {
            site = new SiteConfig();
        }
        if (site.serve == null || site.pairs == null || site.defaults == null) {
            throw new IvfuseException("config " + file + ": 'serve', 'defaults' and 'pairs' must not be empty when given");
        }
        if (site.serve.fusionThreads < 0 || site.serve.fusionThreads > 256) {
            throw new IvfuseException("config " + file + ": config key 'serve.fusion_threads' must be 0 (the cores) to 256");
        }
        site.specs("config " + file + ": "); // every pair merges, or the file is rejected
        return site;
    }

    /** The merged run config of every pair, in file order; {@code where} starts each error. */
    List<PairSpec> specs(String where) {
        List<PairSpec> specs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            PairEntry e = pairs.get(i);
            if (e == null) {
                throw new IvfuseException(where + "config key 'pairs[" + i + "]' is empty");
            }
            PairSpec spec = merge(e, where, "pairs[" + i + "]");
            if (!ids.add(spec.id())) {
                throw new IvfuseException(where + "config key 'pairs[" + i + "].id': duplicate id '" + spec.id() + "'");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** One entry over the defaults; {@code key} names the entry in errors ("pairs[2]", "the body"). */
    PairSpec merge(PairEntry e, String where, String key) {
        e.checkId(where, key);
        ObjectNode tree = defaults.deepCopy();
        deepMerge(tree, e.ownKeys());
        if (e.overrides != null) {
            deepMerge(tree, e.overrides);
        }
        substituteId(tree, e.id);
        return new PairSpec(e.id, tree, ConfigLoader.fromTree(tree, where, key + "."));
    }

    /** Objects merge key by key; any other value (lists too) replaces the default. */
    static void deepMerge(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(f -> {
            JsonNode old = into.get(f.getKey());
            if (old instanceof ObjectNode o && f.getValue() instanceof ObjectNode) {
                deepMerge(o, f.getValue());
            } else {
                into.set(f.getKey(), f.getValue().deepCopy());
            }
        });
    }

    /** {@code {id}} in any string value (output paths, the metrics JSON) becomes the pair's id. */
    private static void substituteId(JsonNode node, String id) {
        if (node instanceof ObjectNode o) {
            o.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual() && f.getValue().asText().contains("{id}")) {
                    o.put(f.getKey(), f.getValue().asText().replace("{id}", id));
                } else {
                    substituteId(f.getValue(), id);
                }
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual() && a.get(i).asText().contains("{id}")) {
                    a.set(i, a.get(i).asText().replace("{id}", id));
                } else {
                    substituteId(a.get(i), id);
                }
            }
        }
    }
}
