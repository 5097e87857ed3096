package io.ivfuse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivfuse.config.ConfigLoader;
import io.ivfuse.config.IvfuseConfig;

/**
 * A pair's merged run config, with the tree it came from: two specs are the same pair setting when
 * their trees are equal (what a reload compares).
 */
record PairSpec(String id, JsonNode tree, IvfuseConfig config) {

    /**
     * A fresh copy of the run config, for one run, with the service's rules: metrics are published
     * by the service (JMX tree, Prometheus), no progress bar, and a pair never falls behind its
     * cameras (drop-oldest unless the config says otherwise). {@code fusionThreads} is used when the
     * config sets none.
     */
    IvfuseConfig newConfig(int fusionThreads) {
        IvfuseConfig c = ConfigLoader.fromTree(tree, "pair '" + id + "': ", "");
        c.metrics.jmx = false;
        c.metrics.progress = "off";
        if (c.pipeline.backpressure == null) {
            c.pipeline.backpressure = IvfuseConfig.Backpressure.DROP_OLDEST;
        }
        if (c.fusion.threads == 0) {
            c.fusion.threads = fusionThreads;
        }
        return c;
    }
}
