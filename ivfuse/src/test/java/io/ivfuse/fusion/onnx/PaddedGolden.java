package io.ivfuse.fusion.onnx;

import io.ivfuse.fusion.learned.ReflectionPadding;
import io.ivfuse.frame.Plane;
import io.ivfuse.fusion.FusionEngine;
import io.ivfuse.fusion.FusionEngineContract;
import io.ivfuse.fusion.FusionEngineContract.Golden;

/**
 * The golden of a learned engine at any size. A network has no closed form, but an odd-size frame
 * must fuse exactly as its reflection-padded copy (at the model's size multiple, where nothing is
 * padded) cropped back to the top-left: a zero or edge padding, a resize, a shifted crop or a
 * stride mix-up all break that.
 */
final class PaddedGolden {
    private PaddedGolden() {
    }

    static Golden of(FusionEngine engine, int width, int height, int multiple) {
        Plane vis = FusionEngineContract.randomPlane(width, height, 3);
        Plane ir = FusionEngineContract.randomPlane(width, height, 4);
        int pw = (width + multiple - 1) / multiple * multiple;
        int ph = (height + multiple - 1) / multiple * multiple;
        Plane paddedVis = reflect(vis, pw, ph);
        Plane paddedIr = reflect(ir, pw, ph);
        Plane padded = Plane.allocate(pw, ph);
        padded.fill(FusionEngineContract.fuseOnce(engine, paddedVis, paddedIr));
        Plane expected = Plane.allocate(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected.set(x, y, padded.get(x, y));
            }
        }
        return new Golden("the " + pw + "x" + ph + " reflection-padded fusion cropped back", vis, ir, expected, 0);
    }

    private static Plane reflect(Plane p, int pw, int ph) {
        int[] cols = ReflectionPadding.indexMap(p.width(), pw);
        int[] rows = ReflectionPadding.indexMap(p.height(), ph);
        Plane out = Plane.allocate(pw, ph);
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                out.set(x, y, p.get(cols[x], rows[y]));
            }
        }
        return out;
    }
}
