package io.ivfuse.fusion.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.frame.Plane;
import io.ivfuse.model.ModelConvention;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTranslatorTest {
    private static ModelConvention convention(float lo, float hi, int multiple, List<ModelConvention.Activation> act) {
        return new ModelConvention("vis", "ir", "out", lo, hi, multiple, act);
    }

    @Test
    void inputIsScaledToTheRangeAndReflectionPaddedBottomAndRight() {
        ModelTranslator t = new ModelTranslator(convention(-1, 1, 4, List.of()), 3, 2);
        assertEquals(4, t.paddedWidth());
        assertEquals(4, t.paddedHeight());
        assertArrayEquals(new long[] {1, 1, 4, 4}, t.tensorShape());
        Plane p = Plane.allocate(3, 2);
        int[][] px = {{0, 51, 255}, {102, 204, 153}};
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                p.set(x, y, px[y][x]);
            }
        }
        FloatBuffer in = FloatBuffer.allocate(t.tensorElements());
        t.toInput(p, in);
        int[] rows = {0, 1, 0, 1};
        int[] cols = {0, 1, 2, 1};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                float expected = (float) (-1 + 2 * (px[rows[y]][cols[x]] / 255.0));
                assertEquals(expected, in.get(y * 4 + x), 1e-6, "at " + x + "," + y);
            }
        }
    }

    @Test
    void outputIsCroppedActivatedRoundedAndSaturated() {
        ModelTranslator t = new ModelTranslator(convention(0, 1, 2, List.of(ModelConvention.Activation.CLAMP)), 3, 1);
        FloatBuffer out = FloatBuffer.allocate(t.tensorElements());
        out.put(new float[] {-0.2f, 0.5f, 1.7f, 9f, 9f, 9f, 9f, 9f}).flip();
        Plane fused = Plane.allocate(3, 1);
        t.fromOutput(out, fused);
        assertEquals(0, fused.get(0, 0));
        assertEquals(128, fused.get(1, 0)); // 127.5 rounds half up
        assertEquals(255, fused.get(2, 0));

        ModelTranslator tanh = new ModelTranslator(convention(-1, 1, 1, List.of(ModelConvention.Activation.TANH)), 1, 1);
        assertEquals((int) (((Math.tanh(0.3) + 1) / 2) * 255 + 0.5), tanh.outputByte(0.3f));
        ModelTranslator raw = new ModelTranslator(convention(-1, 1, 1, List.of()), 1, 1);
        assertEquals(255, raw.outputByte(5f), "values above the range saturate without an activation");
        assertEquals(0, raw.outputByte(-5f));
    }

    @Test
    void eachByteRoundTripsThroughTheModelRange() {
        ModelTranslator t = new ModelTranslator(convention(-1, 1, 1, List.of()), 1, 1);
        for (int b = 0; b < 256; b++) {
            assertEquals(b, t.outputByte(t.inputValue(b)));
        }
    }

    @Test
    void reflectionMirrorsWithoutRepeatingTheEdge() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 3, 2, 1}, ReflectionPadding.indexMap(5, 8));
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0, 1}, ReflectionPadding.indexMap(2, 8));
        assertArrayEquals(new int[] {0, 0, 0, 0}, ReflectionPadding.indexMap(1, 4));
        assertArrayEquals(new int[] {0, 1, 2, 1}, ReflectionPadding.indexMap(3, 4));
    }
}
