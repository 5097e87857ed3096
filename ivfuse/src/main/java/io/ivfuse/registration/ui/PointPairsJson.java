package io.ivfuse.registration.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivfuse.IvfuseException;
import io.ivfuse.registration.Correspondences;
import java.util.ArrayList;
import java.util.List;

/** The page's point pairs, as it posts them: {@code {"pairs": [[x_ir, y_ir, x_vis, y_vis], ...]}} in pixels. */
final class PointPairsJson {
    private PointPairsJson() {
    }

    static List<Correspondences.Pair> parse(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IvfuseException("the request is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IvfuseException("the request could not be read: " + e.getMessage());
        }
        JsonNode pairs = root == null ? null : root.get("pairs");
        if (pairs == null || !pairs.isArray()) {
            throw new IvfuseException("the request has no 'pairs' array");
        }
        List<Correspondences.Pair> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            JsonNode p = pairs.get(i);
            if (!p.isArray() || p.size() != 4) {
                throw new IvfuseException("point pair " + (i + 1) + ": expected [x_ir, y_ir, x_vis, y_vis], got " + p);
            }
            double[] v = new double[4];
            for (int k = 0; k < 4; k++) {
                if (!p.get(k).isNumber() || !Double.isFinite(p.get(k).asDouble())) {
                    throw new IvfuseException("point pair " + (i + 1) + ": '" + p.get(k) + "' is not a finite number");
                }
                v[k] = p.get(k).asDouble();
            }
            out.add(new Correspondences.Pair(v[0], v[1], v[2], v[3]));
        }
        return out;
    }
}
