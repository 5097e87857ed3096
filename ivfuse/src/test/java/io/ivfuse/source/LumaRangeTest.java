package io.ivfuse.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ivfuse.frame.Plane;
import io.ivfuse.job.Natives;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plane mappings give exactly the range tables, for every value, in place too, at any stride. */
class LumaRangeTest {

    @BeforeAll
    static void natives() {
        Natives.opencv();
    }

    /** Every value in each row (267 wide: a vector body and a scalar tail), rows 300 bytes apart. */
    private static Plane everyValue() {
        Plane p = Plane.wrap(ByteBuffer.allocateDirect(300 * 3), 267, 3, 300);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < p.width(); x++) {
                p.set(x, y, (x + 85 * y) & 0xff);
            }
        }
        return p;
    }

    @Test
    void planesMapExactlyAsTheTables() {
        try (LumaRange range = new LumaRange()) {
            for (boolean inPlace : new boolean[] {false, true}) {
                Plane in = everyValue();
                Plane full = inPlace ? in : Plane.allocate(in.width(), in.height());
                range.toFull(in, full);
                Plane source = everyValue();
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < in.width(); x++) {
                        assertEquals(LumaRange.toFull(source.get(x, y)), full.get(x, y), "toFull(" + source.get(x, y) + ")");
                    }
                }
                Plane in2 = everyValue();
                Plane limited = inPlace ? in2 : Plane.allocate(in2.width(), in2.height());
                range.toLimited(in2, limited);
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < in2.width(); x++) {
                        assertEquals(LumaRange.toLimited(source.get(x, y)), limited.get(x, y), "toLimited(" + source.get(x, y) + ")");
                    }
                }
            }
        }
    }

    @Test
    void videoRangeSurvivesTheRoundTrip() {
        for (int v = 16; v <= 235; v++) {
            assertEquals(v, LumaRange.toLimited(LumaRange.toFull(v)), "value " + v);
        }
    }
}
